package db

import "strings"

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Contains is the LIKE pattern matching s anywhere, its wildcards taken
// literally; use it with ESCAPE '\'.
func Contains(s string) string { return "%" + likeEscaper.Replace(s) + "%" }
