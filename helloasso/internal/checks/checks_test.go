package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestNameAcceptsRealNames(t *testing.T) {
	for _, n := range []string{
		"Jean", "Dupont", "Marie-Hélène", "Jean Pierre", "O'Connor", "D’Artagnan", "François", "Zoë",
		"Aminata", "N'Diaye", "Flynn", "Ba", "De La Tour", "Müller", "Laetitia", "Anne-Sophie",
		"  Jean  ",
	} {
		assert.Empty(t, Name(n), "%q", n)
	}
}

func TestNameRefusesWhatHelloAssoRefuses(t *testing.T) {
	for n, why := range map[string]string{
		"":          "blank",
		"   ":       "blank",
		"J":         "more than one character",
		"Jean2":     "digit",
		"Aaaron":    "three times in a row",
		"Brrrr":     "three times in a row",
		"Bcd":       "vowel",
		"test":      "placeholder",
		"TEST":      "placeholder",
		"Prénom":    "placeholder",
		"nom":       "placeholder",
		"Unknown":   "placeholder",
		"Anonyme":   "placeholder",
		"Jean!":     `'!'`,
		"Jean_Paul": `'_'`,
		"Loïc":      `'ï'`,
		"Jérôme":    `'ô'`,
		"Иван":      "Latin alphabet",
		"李雷":        "Latin alphabet",
		"Jean\tP":   `'\t'`,
	} {
		got := Name(n)
		assert.Contains(t, got, why, "%q", n)
	}
	assert.Contains(t, Name(strings.Repeat("ab", 128)), "at most 255")
}

func TestSameName(t *testing.T) {
	assert.True(t, SameName("Jean", " jean "))
	assert.False(t, SameName("Jean", "Jeanne"))
}

func TestAdult(t *testing.T) {
	now := time.Date(2025, 6, 15, 23, 59, 0, 0, time.UTC)
	assert.True(t, Adult(time.Date(2007, 6, 15, 0, 0, 0, 0, time.UTC), now), "18 today")
	assert.False(t, Adult(time.Date(2007, 6, 16, 0, 0, 0, 0, time.UTC), now), "18 tomorrow")
	assert.True(t, Adult(time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), now))
	// Born on 29 February: 18 on 1 March of a common year.
	leap := time.Date(2008, 2, 29, 0, 0, 0, 0, time.UTC)
	assert.False(t, Adult(leap, time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC)))
	assert.True(t, Adult(leap, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)))
}

func TestURL(t *testing.T) {
	for _, u := range []string{"https://shop.example.org/return", "https://shop.example.org/r?type=return&ref=A42",
		"https://s.example.org/?codes=1&xcode=2&code_x", "https://s.example.org/?a=code&b=orderId"} {
		assert.Empty(t, URL(u, false), u)
	}
	for u, why := range map[string]string{
		"http://shop.example.org/return":            "https",
		"http://localhost:8080/return":              "https",
		"ftp://shop.example.org/":                   "https",
		"/return":                                   "absolute",
		"shop.example.org/return":                   "absolute",
		"https://shop.example.org/r?code=":          `"code"`,
		"https://s.example.org/?orderId=1":          `"orderId"`,
		"https://s.example.org/?error=1":            `"error"`,
		"https://s.example.org/?checkoutIntentId=1": `"checkoutIntentId"`,
		"https://s.example.org/?a=1&code":           `"code"`,
		"https://s.example.org/?%63ode=1":           `"code"`,
		"https://s.example.org/?x=1&&error=":        `"error"`,
	} {
		assert.Contains(t, URL(u, false), why, u)
	}
	for _, u := range []string{"http://localhost:8080/return", "http://127.0.0.1:8080/x", "http://[::1]:8080/", "http://LOCALHOST/"} {
		assert.Empty(t, URL(u, true), u)
	}
	assert.Contains(t, URL("http://shop.example.org/", true), "https", "loopback only")
	assert.Contains(t, URL("http://10.0.0.1/", true), "https", "loopback only")
}

func TestAlpha3(t *testing.T) {
	for a2, a3 := range map[string]string{
		"FR": "FRA", "BE": "BEL", "CH": "CHE", "CA": "CAN", "LU": "LUX", "MC": "MCO",
		"CI": "CIV", "SN": "SEN", "CM": "CMR", "CD": "COD", "CG": "COG", "BJ": "BEN", "BF": "BFA", "ML": "MLI",
		"NE": "NER", "TG": "TGO", "GA": "GAB", "TD": "TCD", "CF": "CAF", "GN": "GIN", "KM": "COM", "DJ": "DJI",
		"MG": "MDG", "MU": "MUS", "RW": "RWA", "BI": "BDI", "MA": "MAR", "TN": "TUN", "DZ": "DZA", "HT": "HTI",
		"RE": "REU", "GP": "GLP", "MQ": "MTQ", "GF": "GUF", "YT": "MYT", "NC": "NCL", "PF": "PYF", "PM": "SPM",
		"GB": "GBR", "DE": "DEU", "US": "USA", "SS": "SSD", "XK": "", "AQ": "ATA",
	} {
		got, ok := Alpha3(a2)
		if a3 == "" {
			assert.False(t, ok, a2)
			continue
		}
		assert.True(t, ok, a2)
		assert.Equal(t, a3, got, a2)
		assert.True(t, IsAlpha3(a3), a3)
	}
	assert.Len(t, alpha3, 249, "every ISO 3166-1 entry")
	assert.False(t, IsAlpha3("FR"))
	assert.False(t, IsAlpha3("XXX"))
}

func TestLength(t *testing.T) {
	assert.Equal(t, 5, Length("Hello"))
	assert.Equal(t, 7, Length("Adhésio"), "é is one UTF-16 unit")
	assert.Equal(t, 2, Length("😀"), "a surrogate pair")
	for _, s := range []string{"", "Hello", "Adhésio", "😀 <b>", "\xff\xfe", "a\xe2\x82"} {
		assert.Equal(t, Length(s), LengthBytes([]byte(s)), "%q", s)
	}
}

func TestPlaceholdersInAnyCase(t *testing.T) {
	for _, s := range []string{"Test", "TEST", "Nom", "PRÉNOM", "Admin"} {
		assert.Contains(t, Name(s), "placeholder", s)
	}
	assert.Empty(t, Name("Testa"))
}
