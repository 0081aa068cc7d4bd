package media

import (
	"fmt"
	"strings"

	"github.com/trangtin/trangtin/platform/errs"
)

// megabytes writes n bytes for people: "20 MB".
func megabytes(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

func errTooLarge(limit int64) error {
	return errs.TooLarge("file", "media_too_large", "Tệp quá lớn: tối đa "+megabytes(limit))
}

func errQuota(used, quota int64) error {
	return errs.Unprocessable("file", "media_quota_exceeded",
		fmt.Sprintf("Thư viện của đơn vị đã dùng %s trên %s được cấp; tệp này vượt hạn mức", megabytes(used), megabytes(quota)))
}

func errUnsupported() error {
	return errs.Unsupported("file", "media_type_unsupported",
		"Loại tệp không được chấp nhận (hệ thống xét nội dung tệp, không xét tên tệp). Chỉ nhận ảnh JPEG, PNG, WebP, GIF; tài liệu PDF, DOCX, XLSX, ODT; video MP4")
}

func errImageInvalid() error {
	return errs.Unprocessable("file", "media_image_invalid", "Không đọc được ảnh: tệp hỏng hoặc không đúng định dạng")
}

func errPixels(w, h int, limit int64) error {
	return errs.Unprocessable("file", "media_image_too_large",
		fmt.Sprintf("Ảnh %d×%d điểm ảnh quá lớn (tối đa %d megapixel)", w, h, limit/1_000_000))
}

func errAltRequired() error {
	return errs.Invalid("alt", "media_alt_required",
		"Ảnh cần có mô tả thay thế (alt) để người dùng trình đọc màn hình hiểu được nội dung")
}

func errFileRequired() error {
	return errs.Invalid("file", "media_file_required", "Chưa chọn tệp để tải lên")
}

func errEmpty() error { return errs.Invalid("file", "media_empty", "Tệp rỗng") }

func errNotFound() error { return errs.NotFound("media_not_found", "Không tìm thấy tệp") }

func errInUse(titles []string) error {
	quoted := make([]string, len(titles))
	for i, t := range titles {
		quoted[i] = "“" + t + "”"
	}
	return errs.Conflict("media_in_use",
		"Không thể xóa: tệp đang được dùng trong bài đã đăng hoặc đã hẹn giờ đăng: "+strings.Join(quoted, ", "))
}

func errForm(field, message string) error {
	return errs.Invalid(field, "media_form_invalid", message)
}
