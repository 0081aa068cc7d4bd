//go:build unix

package web

import (
	"net"
	"syscall"
)

// canPeek reports whether peerClosed can look at conn's socket.
func canPeek(conn net.Conn) bool { _, ok := conn.(syscall.Conn); return ok }

// peerClosed reports whether the client closed conn: a peek that does not
// wait and does not consume reads end of stream. Bytes waiting (a next
// request, an unread body) or nothing yet both mean open.
func peerClosed(conn net.Conn) bool {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	closed := false
	var buf [1]byte
	_ = raw.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		closed = n == 0 && err == nil
		return true // done: never wait for the socket to become readable
	})
	return closed
}
