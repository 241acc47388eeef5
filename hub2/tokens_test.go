package hub2

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTokenCacheForgetsTheOldest(t *testing.T) {
	c := newTokenCache(2)
	c.put("pi_1", "t1")
	c.put("pi_2", "t2")
	c.put("pi_1", "t1b") // an update takes no new slot
	assert.Equal(t, "t1b", c.get("pi_1"))
	c.put("pi_3", "t3")
	assert.Empty(t, c.get("pi_1"), "the oldest is forgotten")
	assert.Equal(t, "t2", c.get("pi_2"))
	assert.Equal(t, "t3", c.get("pi_3"))
	c.put("pi_4", "t4")
	assert.Empty(t, c.get("pi_2"))
	assert.Len(t, c.tokens, 2)

	var off *tokenCache // Config.ReadWithToken off
	off.put("pi_1", "t1")
	assert.Empty(t, off.get("pi_1"))
}
