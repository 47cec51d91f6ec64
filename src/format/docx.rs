//! DOCX: the text of a Word document's XML parts, paragraph by paragraph, and repairs written
//! back into those parts with every other zip entry copied byte for byte.

/// Whether a zip holds `word/document.xml` (checked on the central directory names).
pub fn looks_like_docx(bytes: &[u8]) -> bool {
    bytes.windows(17).any(|w| w == b"word/document.xml")
}
