//! Files that are plainly not documents — the images, archives, PDFs, office files, fonts and
//! scripts that come with every folder saved from a web page — told apart by extension or by
//! their first bytes, so they are passed over (in a folder) or refused with advice (when named).

use std::path::Path;

/// A kind of file transmend does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NotText {
    Image,
    Audio,
    Video,
    Archive,
    Pdf,
    Office,
    Font,
    Program,
    /// Stylesheets and scripts of a saved web page.
    WebAsset,
}

impl NotText {
    /// The kind a file name's extension names, if any.
    pub fn from_extension(path: &Path) -> Option<NotText> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "bmp" | "tif" | "tiff" | "ico" | "heic"
            | "avif" | "svg" => NotText::Image,
            "mp3" | "wav" | "ogg" | "oga" | "m4a" | "flac" | "aac" | "opus" => NotText::Audio,
            "mp4" | "m4v" | "webm" | "mov" | "avi" | "mkv" => NotText::Video,
            "zip" | "gz" | "tgz" | "tar" | "7z" | "rar" | "xz" | "bz2" | "zst" => NotText::Archive,
            "pdf" => NotText::Pdf,
            "doc" | "odt" | "xlsx" | "xls" | "ods" | "pptx" | "ppt" | "odp" | "epub" | "pages" => {
                NotText::Office
            }
            "woff" | "woff2" | "ttf" | "otf" | "eot" => NotText::Font,
            "exe" | "dll" | "so" | "dylib" | "wasm" | "class" | "o" => NotText::Program,
            "css" | "js" | "mjs" | "map" => NotText::WebAsset,
            _ => return None,
        })
    }

    /// The kind the first bytes of a file show, if they are a known binary signature.
    pub fn from_magic(bytes: &[u8]) -> Option<NotText> {
        const SIGNATURES: [(&[u8], NotText); 13] = [
            (b"\x89PNG\r\n\x1a\n", NotText::Image),
            (b"\xFF\xD8\xFF", NotText::Image),
            (b"GIF87a", NotText::Image),
            (b"GIF89a", NotText::Image),
            (b"%PDF-", NotText::Pdf),
            (b"PK\x03\x04", NotText::Archive),
            (b"\x1F\x8B", NotText::Archive),
            (b"7z\xBC\xAF\x27\x1C", NotText::Archive),
            (b"Rar!\x1A\x07", NotText::Archive),
            (b"\xFD7zXZ\0", NotText::Archive),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", NotText::Office),
            (b"\x7FELF", NotText::Program),
            (b"wOFF", NotText::Font),
        ];
        if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return Some(NotText::Image);
        }
        SIGNATURES
            .iter()
            .find(|(magic, _)| bytes.starts_with(magic))
            .map(|(_, kind)| *kind)
    }

    /// The kind of a file, by its name then by its first bytes.
    pub fn of(path: &Path, bytes: &[u8]) -> Option<NotText> {
        NotText::from_extension(path).or_else(|| NotText::from_magic(bytes))
    }

    /// A plural noun for notes: "images", "PDFs".
    pub fn plural(self) -> &'static str {
        match self {
            NotText::Image => "images",
            NotText::Audio => "audio files",
            NotText::Video => "videos",
            NotText::Archive => "archives",
            NotText::Pdf => "PDFs",
            NotText::Office => "office documents",
            NotText::Font => "fonts",
            NotText::Program => "programs",
            NotText::WebAsset => "stylesheets and scripts",
        }
    }

    /// What the file is and what to do with it, for an error about a file given by name.
    pub fn advice(self, path: &Path) -> String {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| format!("a .{} file", e.to_ascii_lowercase()));
        let what = match self {
            NotText::Image => "an image".to_string(),
            NotText::Audio => "an audio file".to_string(),
            NotText::Video => "a video".to_string(),
            NotText::Archive => "an archive".to_string(),
            NotText::Pdf => "a PDF".to_string(),
            NotText::Office => ext.unwrap_or_else(|| "an office document".to_string()),
            NotText::Font => "a font".to_string(),
            NotText::Program => "a program".to_string(),
            NotText::WebAsset => ext.unwrap_or_else(|| "a stylesheet or script".to_string()),
        };
        let todo = match self {
            NotText::Archive => "unpack it and give transmend the folder",
            NotText::Pdf => {
                "transmend reads text documents: copy the text out of the PDF into a .txt file"
            }
            NotText::Office => match path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("doc" | "odt" | "rtf" | "pages") => {
                    "not supported; save it as a Word document (.docx) or as plain text (.txt) and check that"
                }
                _ => "not supported; save it as plain text (.txt) and check that",
            },
            NotText::WebAsset => "not a document; give transmend the page's text instead",
            _ => "transmend reads text documents; this is not one",
        };
        format!("{what}, not a text document: {todo}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name_and_by_first_bytes() {
        assert_eq!(
            NotText::from_extension(Path::new("a/logo.PNG")),
            Some(NotText::Image)
        );
        assert_eq!(
            NotText::from_extension(Path::new("x.doc")),
            Some(NotText::Office)
        );
        assert_eq!(
            NotText::from_extension(Path::new("page_files/app.js")),
            Some(NotText::WebAsset)
        );
        assert_eq!(NotText::from_extension(Path::new("notes.txt")), None);
        assert_eq!(NotText::from_extension(Path::new("README")), None);
        assert_eq!(NotText::from_magic(b"%PDF-1.7\n"), Some(NotText::Pdf));
        assert_eq!(
            NotText::from_magic(b"\x89PNG\r\n\x1a\nrest"),
            Some(NotText::Image)
        );
        assert_eq!(
            NotText::from_magic(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(NotText::Image)
        );
        assert_eq!(NotText::from_magic("工党".as_bytes()), None);
        assert_eq!(
            NotText::of(Path::new("scan"), b"%PDF-1.4"),
            Some(NotText::Pdf)
        );
    }

    #[test]
    fn advice_says_what_the_file_is_and_what_to_do() {
        let doc = NotText::Office.advice(Path::new("statement.doc"));
        assert!(
            doc.starts_with(
                "a .doc file, not a text document: not supported; save it as a Word document (.docx)"
            ),
            "{doc}"
        );
        let xlsx = NotText::Office.advice(Path::new("t.xlsx"));
        assert!(
            xlsx.ends_with("not supported; save it as plain text (.txt) and check that"),
            "{xlsx}"
        );
        let pdf = NotText::Pdf.advice(Path::new("x.pdf"));
        assert!(pdf.starts_with("a PDF, not a text document"), "{pdf}");
        assert_eq!(NotText::Image.plural(), "images");
    }
}
