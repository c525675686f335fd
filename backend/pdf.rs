//! A4 documents of plain text: headings, wrapped paragraphs and rows of columns, on as many
//! pages as they need. Written with `pdf-writer` (the Typst project's PDF writer): it writes
//! the PDF objects, cross-references and streams for us, is kept up by a team that ships a
//! PDF engine on it, and depends on four tiny crates, so both CI builds (debug and release)
//! stay quick; the larger PDF libraries bring image and font parsing the pack does not need.
//! The text is set in Helvetica, one of the fonts every PDF reader has, so nothing is
//! embedded; in the WinAnsi encoding it covers Dutch (ë, é, ï) and the euro sign.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
/// Characters of 9-point Helvetica that fit the width between the margins, roughly.
const LINE_CHARACTERS: usize = 105;

/// A document being written, top to bottom.
pub struct Document {
    pages: Vec<Content>,
    page: Content,
    /// Where the next line's baseline goes, from the page's bottom.
    y: f32,
}

impl Default for Document {
    fn default() -> Self {
        Document::new()
    }
}

impl Document {
    pub fn new() -> Document {
        Document {
            pages: Vec::new(),
            page: Content::new(),
            y: HEIGHT - MARGIN,
        }
    }

    /// A new page when `height` more does not fit on this one.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            let full = std::mem::replace(&mut self.page, Content::new());
            self.pages.push(full);
            self.y = HEIGHT - MARGIN;
        }
    }

    fn put(&mut self, x: f32, font: Name<'static>, size: f32, text: &str) {
        let encoded = winansi(text);
        self.page
            .begin_text()
            .set_font(font, size)
            .next_line(x, self.y)
            .show(Str(&encoded))
            .end_text();
    }

    /// The document's title, large and bold.
    pub fn title(&mut self, text: &str) {
        self.room(26.0);
        self.y -= 16.0;
        self.put(MARGIN, BOLD, 16.0, text);
        self.y -= 10.0;
    }

    /// A section's heading, with some space above it.
    pub fn heading(&mut self, text: &str) {
        self.room(40.0);
        self.y -= 22.0;
        self.put(MARGIN, BOLD, 11.0, text);
        self.y -= 4.0;
    }

    /// A paragraph, wrapped at the margins.
    pub fn paragraph(&mut self, text: &str) {
        for line in wrap(text, LINE_CHARACTERS) {
            self.room(12.0);
            self.y -= 12.0;
            self.put(MARGIN, REGULAR, 9.0, &line);
        }
        self.y -= 4.0;
    }

    /// One row: the first cell at the margin, the next two in columns at the right; `bold`
    /// for a header row.
    pub fn row(&mut self, cells: &[&str], bold: bool) {
        let font = if bold { BOLD } else { REGULAR };
        self.room(12.0);
        self.y -= 12.0;
        let columns = [MARGIN, WIDTH - MARGIN - 150.0, WIDTH - MARGIN - 70.0];
        for (x, cell) in columns.iter().zip(cells) {
            self.put(*x, font, 9.0, cell);
        }
    }

    /// The finished file, titled `title` in its properties.
    pub fn finish(mut self, title: &str) -> Vec<u8> {
        self.pages.push(self.page);
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let (regular, bold, info) = (Ref::new(3), Ref::new(4), Ref::new(5));
        // Each page and its content stream: 6 and 7, 8 and 9, ...
        let page_refs: Vec<Ref> = (0..self.pages.len())
            .map(|at| Ref::new(6 + 2 * at as i32))
            .collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_refs.iter().copied())
            .count(page_refs.len() as i32);
        pdf.document_info(info).title(TextStr(title));
        for (font, base) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
            pdf.type1_font(font)
                .base_font(Name(base.as_bytes()))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        for (page_ref, content) in page_refs.iter().zip(self.pages) {
            let content_ref = Ref::new(page_ref.get() + 1);
            let mut page = pdf.page(*page_ref);
            page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
            page.parent(tree);
            page.contents(content_ref);
            page.resources()
                .fonts()
                .pair(REGULAR, regular)
                .pair(BOLD, bold);
            page.finish();
            pdf.stream(content_ref, &content.finish());
        }
        pdf.finish()
    }
}

/// `text` in the WinAnsi encoding of the standard fonts: Latin-1 as is, the euro sign and
/// the dashes and quotes Windows-1252 has, anything else as "?".
fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{FF}' => c as u8,
            '€' => 0x80,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// `text` in lines of at most `width` characters, broken at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_text_and_the_euro_in_the_standard_fonts_encoding() {
        assert_eq!(
            winansi("Coördinator één €"),
            b"Co\xF6rdinator \xE9\xE9n \x80"
        );
        assert_eq!(winansi("→"), b"?");
    }

    #[test]
    fn paragraphs_break_at_spaces() {
        assert_eq!(
            wrap("aa bb cc dd", 5),
            vec!["aa bb".to_owned(), "cc dd".to_owned()]
        );
        assert_eq!(wrap("", 5), Vec::<String>::new());
    }

    #[test]
    fn a_long_document_runs_onto_more_pages() {
        let mut document = Document::new();
        document.title("Proef");
        for _ in 0..100 {
            document.row(&["Contacten", "12", "10"], false);
        }
        let file = document.finish("Proef");
        assert!(file.starts_with(b"%PDF-"));
        let two_pages = b"/Count 2";
        assert!(file.windows(two_pages.len()).any(|w| w == two_pages));
    }
}
