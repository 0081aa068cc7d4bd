package sanitize

import (
	"testing"
)

// FuzzClean checks the output contract on arbitrary input: nothing active
// survives (no script, no javascript: URL, no event handler attribute, only
// allowed elements and attributes), the output is NFC and Clean is a fixed
// point.
func FuzzClean(f *testing.F) {
	for _, v := range attackVectors {
		f.Add(v)
	}
	for _, name := range fixtures {
		f.Add(readFixture(f, name))
	}
	for _, s := range []string{
		"<p>Tie\u0302\u0301ng Vie\u0323\u0302t</p>",
		"<b><p>a</p><table><tr><td>b</td></tr></table></b>",
		"<p>a<button><ul><li>b</li></ul></button>c</p>",
		"<ul><li>a<li>b</ul><li>c",
		"<p class=MsoListParagraph style='mso-list:l0 level2 lfo1'>·\tx</p>",
		"<figure><img src=/media/a.jpg><figcaption><p>a</p><p>b</p></figcaption></figure>",
		"<table><caption><h1>x</h1></caption><tr><td><table><tr><td>y</td></tr></table></td></tr></table>",
	} {
		f.Add(s)
	}

	p := New(testMedia)
	f.Fuzz(func(t *testing.T, in string) {
		out := p.Clean(in)
		// Step 1 alone must already meet the policy: if the bluemonday gate
		// has anything to remove, the two allow-lists have drifted apart.
		if pre := p.rebuild(in); p.gate.Sanitize(pre) != pre {
			t.Errorf("the gate changed the rebuilt tree of %q:\nrebuilt: %q\ngated:   %q", in, pre, p.gate.Sanitize(pre))
		}
		for _, problem := range checkOutput(out) {
			t.Errorf("Clean(%q) = %q: %s", in, out, problem)
		}
		if again := p.Clean(out); again != out {
			t.Errorf("not idempotent:\nin:     %q\nonce:   %q\ntwice:  %q", in, out, again)
		}
	})
}
