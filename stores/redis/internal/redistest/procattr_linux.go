package redistest

import "syscall"

// procAttr has the server killed if the test process dies without
// stopping it.
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
