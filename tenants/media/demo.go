package media

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
)

// Demo picture size: wide enough to get every rendition.
const (
	demoWidth  = 1600
	demoHeight = 1000
)

// DemoImage draws a picture for demo items, made by the program itself (no
// download, no text): a sky-to-ground gradient, a sun, hills and a few
// buildings, with colours and layout chosen by seed and title. The same
// arguments always give the same JPEG.
func DemoImage(seed int, title string) ([]byte, error) {
	h := fnv.New64a()
	_, _ = h.Write([]byte(title))
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	img := image.NewRGBA(image.Rect(0, 0, demoWidth, demoHeight))

	hue := rng.Float64() * 360
	top, bottom := hsl(hue, 0.55, 0.78), hsl(math.Mod(hue+40, 360), 0.6, 0.55)
	horizon := demoHeight * (55 + rng.IntN(15)) / 100
	for y := range demoHeight {
		c := mix(top, bottom, float64(y)/float64(demoHeight))
		for x := range demoWidth {
			img.SetRGBA(x, y, c)
		}
	}
	// The sun.
	sx, sy, sr := 200+rng.IntN(demoWidth-400), 120+rng.IntN(horizon/2), 60+rng.IntN(60)
	fill(img, func(x, y int) bool { return (x-sx)*(x-sx)+(y-sy)*(y-sy) <= sr*sr }, hsl(45, 0.95, 0.7))
	// Two layers of hills.
	for layer := range 2 {
		amp, freq, phase := 40+rng.Float64()*60, 2+rng.Float64()*3, rng.Float64()*math.Pi*2
		base := float64(horizon + layer*90)
		col := hsl(math.Mod(hue+120+float64(layer)*20, 360), 0.45, 0.42-float64(layer)*0.12)
		fill(img, func(x, y int) bool {
			return float64(y) > base-amp*math.Sin(phase+freq*math.Pi*float64(x)/demoWidth)
		}, col)
	}
	// Buildings in front.
	x := rng.IntN(120)
	for x < demoWidth {
		w, hgt := 60+rng.IntN(120), 120+rng.IntN(260)
		col := hsl(math.Mod(hue+200+rng.Float64()*60, 360), 0.25, 0.25+rng.Float64()*0.2)
		x0, top := x, demoHeight-hgt
		fill(img, func(px, py int) bool { return px >= x0 && px < x0+w && py >= top }, col)
		x += w + 30 + rng.IntN(140)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("demo image: %w", err)
	}
	return buf.Bytes(), nil
}

// fill paints the pixels for which in is true.
func fill(img *image.RGBA, in func(x, y int) bool, c color.RGBA) {
	for y := range demoHeight {
		for x := range demoWidth {
			if in(x, y) {
				img.SetRGBA(x, y, c)
			}
		}
	}
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	l := func(p, q uint8) uint8 { return uint8(float64(p) + (float64(q)-float64(p))*t) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 255}
}

// hsl converts a hue (degrees), saturation and lightness to RGB.
func hsl(h, s, l float64) color.RGBA {
	c := (1 - math.Abs(2*l-1)) * s
	hp := h / 60
	x := c * (1 - math.Abs(math.Mod(hp, 2)-1))
	var r, g, b float64
	switch {
	case hp < 1:
		r, g = c, x
	case hp < 2:
		r, g = x, c
	case hp < 3:
		g, b = c, x
	case hp < 4:
		g, b = x, c
	case hp < 5:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := l - c/2
	to := func(v float64) uint8 { return uint8(math.Round(math.Max(0, math.Min(1, v+m)) * 255)) }
	return color.RGBA{to(r), to(g), to(b), 255}
}
