//go:build !unix

package web

import "net"

func canPeek(net.Conn) bool { return false }

func peerClosed(net.Conn) bool { return false }
