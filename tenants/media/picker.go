package media

import (
	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
)

// PickItem is one image of the editor's picker: its id (the cover picture
// takes it), the address the item's text refers to (/media/…), its
// preview on the admin host, its name, alt text, caption and the
// photographer's credit (which goes into the text with the caption).
type PickItem struct {
	ID      string `json:"id"`
	Src     string `json:"src"`
	Thumb   string `json:"thumb"`
	Name    string `json:"name"`
	Alt     string `json:"alt"`
	Caption string `json:"caption"`
	Credit  string `json:"credit"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

// PickList is the answer of GET /t/:slug/thu-vien/chon?q=.
type PickList struct {
	Items []PickItem `json:"items"`
	// Upload is where the picker uploads in place (the API), "" when the
	// account may not upload.
	Upload string `json:"upload"`
}

// pick answers the editor's picture picker: the tenant's images, newest
// first, matching q.
func (h *Console) pick(c *fiber.Ctx) error {
	t := h.tenant(c)
	ms, err := List(c.UserContext(), h.Service.db, t.ID, Filter{Query: c.Query("q"), Kind: KindImage, Limit: 60})
	if err != nil {
		return err
	}
	out := PickList{Items: make([]PickItem, 0, len(ms))}
	if h.can(c, t, authz.MediaUpload) {
		out.Upload = "/api/v1/tenants/" + t.Slug + "/media"
	}
	for _, m := range ms {
		out.Items = append(out.Items, PickItem{ID: m.ID, Src: m.Path(), Thumb: Thumb(t, m), Name: m.Name, Alt: m.Alt,
			Caption: m.Caption, Credit: m.Credit, Width: m.Width, Height: m.Height})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}
