//go:build !linux

package replicas

import "syscall"

func procAttr() *syscall.SysProcAttr { return nil }
