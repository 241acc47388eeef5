package pgtest

import "syscall"

// procAttr runs the server as cred, in a process group of its own (so that
// its children can be killed with it), killed if the test process dies
// without stopping it.
func procAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
