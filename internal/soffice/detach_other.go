//go:build !unix

package soffice

import "os/exec"

func detach(*exec.Cmd) {}
