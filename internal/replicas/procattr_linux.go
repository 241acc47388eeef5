package replicas

import "syscall"

// procAttr has a replica killed if the test process dies without stopping
// it.
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
