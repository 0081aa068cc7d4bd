package provision

// defaultSection is one section every tenant with a site gets at creation.
type defaultSection struct {
	Slug, Name, Description string
}

// requiredSections are the parts ND 42/2022/NĐ-CP Art. 4 and ND 13/2018/NĐ-CP
// Art. 11 require of an agency's website, in the order sites show them.
// Their slugs are part of the outside contract.
var requiredSections = []defaultSection{
	{"gioi-thieu", "Giới thiệu – Cơ cấu tổ chức", "Chức năng, nhiệm vụ, quyền hạn, cơ cấu tổ chức và lãnh đạo đơn vị"},
	{"tin-tuc-su-kien", "Tin tức – Sự kiện", "Tin hoạt động của đơn vị, của ngành và địa phương"},
	{"van-ban-chi-dao-dieu-hanh", "Văn bản chỉ đạo điều hành", "Văn bản chỉ đạo, điều hành của đơn vị"},
	{"van-ban-phap-luat", "Văn bản pháp luật", "Văn bản quy phạm pháp luật liên quan đến lĩnh vực quản lý"},
	{"thu-tuc-hanh-chinh", "Thủ tục hành chính", "Thủ tục hành chính và hướng dẫn thực hiện"},
	{"chinh-sach-phap-luat", "Chính sách – Pháp luật", "Phổ biến, hướng dẫn thực hiện chính sách, pháp luật"},
	{"chien-luoc-ke-hoach", "Chiến lược – Kế hoạch", "Chiến lược, quy hoạch, kế hoạch phát triển"},
	{"cong-khai-tai-chinh-thong-ke", "Công khai tài chính – Thống kê", "Công khai ngân sách, dự án, đầu tư, số liệu thống kê"},
	{"tiep-can-thong-tin", "Tiếp cận thông tin", "Thông tin công khai theo Luật Tiếp cận thông tin"},
	{"lien-he", "Liên hệ", "Địa chỉ, điện thoại, thư điện tử và đầu mối tiếp nhận"},
}
