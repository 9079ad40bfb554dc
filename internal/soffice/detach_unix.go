//go:build unix

package soffice

import (
	"os/exec"
	"syscall"
)

// detach starts soffice in its own process group and, on timeout, kills the
// whole group: soffice is a launcher whose soffice.bin child would outlive it.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
