//! QR codes for the posting sheets: the modules of a text's code, with error
//! correction level M (15% of the code may be soiled or torn).
//!
//! qrcodegen encodes the text; this file chooses which of the eight masks it
//! is drawn with. The choice follows the penalty rule of fast_qr 0.14, which
//! drew the sheets' codes before, so that every sheet keeps its bytes: the
//! lowest total of runs, 2×2 blocks, finder lookalikes and dark balance, the
//! first mask on a tie. Each mask is scored a whole line of modules at a time
//! (one bit a module) rather than module by module.

use std::cell::RefCell;
use std::ops::{BitAnd, BitOr, BitXor, Not};
use std::rc::Rc;

use qrcodegen::{Mask, QrCode, QrCodeEcc, QrSegment, Version};

/// A QR code's modules.
pub struct Code {
    rows: Vec<Line>,
}

impl Code {
    /// How many modules wide and high the code is, without its quiet zone.
    pub fn size(&self) -> usize {
        self.rows.len()
    }

    /// The runs of dark modules of row `y`, left to right, each as its first
    /// column and its length.
    pub fn dark_runs(&self, y: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let row = &self.rows[y];
        let mut x = 0;
        std::iter::from_fn(move || {
            let start = row.next(x, true, self.size());
            x = row.next(start, false, self.size());
            (start < x).then(|| (start, x - start))
        })
    }
}

/// The QR code of `text`, drawn with the mask the penalty rule chooses;
/// `None` when the text is too long for any QR code.
pub fn encode(text: &str) -> Option<Code> {
    let segments = QrSegment::make_segments(text);
    let code = QrCode::encode_segments_advanced(
        &segments,
        QrCodeEcc::Medium,
        Version::MIN,
        Version::MAX,
        Some(Mask::new(0)),
        false,
    )
    .ok()?;
    let layout = Layout::of(code.version());
    let n = layout.size;
    // The modules before any mask, with the format areas light, as scored.
    let mut rows = vec![Line::default(); n];
    let mut columns = vec![Line::default(); n];
    for (y, row) in rows.iter_mut().enumerate() {
        for (x, column) in columns.iter_mut().enumerate() {
            // Without a branch: the modules of a code are as good as random.
            let dark = code.get_module(x as i32, y as i32);
            row.put(x, dark);
            column.put(y, dark);
        }
    }
    for (line, (mask, kept)) in rows.iter_mut().zip(layout.row_masks[0].iter().zip(&layout.scored_rows)) {
        *line = (*line ^ *mask) & *kept;
    }
    for (line, (mask, kept)) in columns.iter_mut().zip(layout.column_masks[0].iter().zip(&layout.scored_columns)) {
        *line = (*line ^ *mask) & *kept;
    }
    let best = match n.div_ceil(64) {
        1 => layout.best_mask::<1>(&rows, &columns),
        2 => layout.best_mask::<2>(&rows, &columns),
        _ => layout.best_mask::<WORDS>(&rows, &columns),
    };
    for (line, (mask, format)) in rows.iter_mut().zip(layout.row_masks[best].iter().zip(&layout.format_rows[best])) {
        *line = *line ^ *mask | *format;
    }
    Some(Code { rows })
}

/// Modules per line at most: version 40 is 177 modules wide.
const WORDS: usize = 3;

/// A row or a column of modules, module `k` at bit `k`, in `W` words: as
/// few as the code's width needs when it is scored.
#[derive(Clone, Copy)]
struct Line<const W: usize = WORDS>([u64; W]);

impl<const W: usize> Default for Line<W> {
    fn default() -> Self {
        Line([0; W])
    }
}

impl<const W: usize> Line<W> {
    /// The first `W` words of a line.
    fn narrow(line: Line) -> Line<W> {
        Line(std::array::from_fn(|i| line.0[i]))
    }

    fn set(&mut self, k: usize) {
        self.put(k, true);
    }

    /// Makes module `k` dark when `dark` (it was light).
    fn put(&mut self, k: usize, dark: bool) {
        self.0[k / 64] |= u64::from(dark) << (k % 64);
    }

    /// The line moved towards module 0 by `k` (1 to 63) modules: bit `j` is module `j + k`.
    fn after(self, k: u32) -> Line<W> {
        Line(std::array::from_fn(|i| self.0[i] >> k | self.0.get(i + 1).map_or(0, |next| next << (64 - k))))
    }

    /// The line moved away from module 0 by `k` (1 to 63) modules: bit `j`
    /// is module `j - k`, light before module 0.
    fn before(self, k: u32) -> Line<W> {
        Line(std::array::from_fn(|i| self.0[i] << k | if i > 0 { self.0[i - 1] >> (64 - k) } else { 0 }))
    }

    /// The first module from `x` on that is dark (or light, if not
    /// `dark`), or `size` when there is none before it.
    fn next(&self, x: usize, dark: bool, size: usize) -> usize {
        let word = |i: usize| if dark { self.0[i] } else { !self.0[i] };
        let mut i = x / 64;
        let mut bits = word(i) >> (x % 64) << (x % 64);
        while bits == 0 && i + 1 < W {
            i += 1;
            bits = word(i);
        }
        if bits == 0 {
            size
        } else {
            (i * 64 + bits.trailing_zeros() as usize).min(size)
        }
    }

    fn count(self) -> u32 {
        self.0.iter().map(|word| word.count_ones()).sum()
    }
}

macro_rules! bitwise {
    ($trait:ident, $method:ident, $op:tt) => {
        impl<const W: usize> $trait for Line<W> {
            type Output = Line<W>;
            fn $method(self, other: Line<W>) -> Line<W> {
                Line(std::array::from_fn(|i| self.0[i] $op other.0[i]))
            }
        }
    };
}
bitwise!(BitAnd, bitand, &);
bitwise!(BitOr, bitor, |);
bitwise!(BitXor, bitxor, ^);

impl<const W: usize> Not for Line<W> {
    type Output = Line<W>;
    fn not(self) -> Line<W> {
        Line(self.0.map(|word| !word))
    }
}

/// The penalty of one line for runs of five or more data modules of one
/// colour (a run of `k` costs `k - 2`; a function module ends a run) and for
/// finder lookalikes, 1011101 with four light modules before or after (40
/// each; outside the symbol is light).
fn line_penalty<const W: usize>(values: Line<W>, data: Line<W>) -> u32 {
    let same = data & data.after(1) & !(values ^ values.after(1));
    let fives = same & same.after(1) & same.after(2) & same.after(3);
    let runs = fives.count() + 2 * (fives & !same.before(1)).count();
    let v = |k| values.after(k);
    let finder = values & !v(1) & v(2) & v(3) & v(4) & !v(5) & v(6);
    let light_before = !(values.before(1) | values.before(2) | values.before(3) | values.before(4));
    let light_after = !(v(7) | v(8) | v(9) | v(10));
    runs + 40 * ((finder & light_before).count() + (finder & light_after).count())
}

/// The penalty of two neighbouring rows for their 2×2 blocks of one colour:
/// 3 each, counted when the block's right column, and its left column but
/// at the symbol's edge, are data modules in both rows.
fn block_penalty<const W: usize>(top: Line<W>, bottom: Line<W>, data: Line<W>) -> u32 {
    let even = !(top ^ bottom);
    let blocks = even & even.after(1) & !(top ^ top.after(1));
    let mut left = data;
    left.set(0);
    3 * (blocks & data.after(1) & left).count()
}

/// The penalty for the share of dark modules, by whole percent: 0 from 45%
/// to 54%, 10 more for each 5 points further from the middle.
const DARK_PENALTY: [u32; 100] = [
    90, 90, 90, 90, 90, 80, 80, 80, 80, 80, 70, 70, 70, 70, 70, 60, 60, 60, 60, 60, 50, 50, 50, 50, 50, 40, 40, 40, 40,
    40, 30, 30, 30, 30, 30, 20, 20, 20, 20, 20, 10, 10, 10, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 10, 10, 10, 10,
    20, 20, 20, 20, 20, 30, 30, 30, 30, 30, 40, 40, 40, 40, 40, 50, 50, 50, 50, 50, 60, 60, 60, 60, 60, 70, 70, 70, 70,
    70, 80, 80, 80, 80, 80, 90, 90, 90, 90, 90,
];

/// What scoring needs of a version, made once per thread.
struct Layout {
    size: usize,
    /// Each row's data modules.
    data_rows: Vec<Line>,
    /// Each column's data modules.
    data_columns: Vec<Line>,
    /// Each mask's flipped modules, by row: its pattern on the data modules.
    row_masks: [Vec<Line>; 8],
    /// The same by column.
    column_masks: [Vec<Line>; 8],
    /// Each row's modules but the format areas, which are light when scored.
    scored_rows: Vec<Line>,
    /// The same by column.
    scored_columns: Vec<Line>,
    /// The format areas' dark modules for each mask, by row.
    format_rows: [Vec<Line>; 8],
}

thread_local! {
    static LAYOUTS: RefCell<Vec<(u8, Rc<Layout>)>> = const { RefCell::new(Vec::new()) };
}

impl Layout {
    fn of(version: Version) -> Rc<Layout> {
        LAYOUTS.with_borrow_mut(|layouts| {
            if let Some((_, layout)) = layouts.iter().find(|(v, _)| *v == version.value()) {
                return layout.clone();
            }
            let layout = Rc::new(Layout::new(version.value()));
            layouts.push((version.value(), layout.clone()));
            layout
        })
    }

    fn new(version: u8) -> Layout {
        let n = 17 + 4 * usize::from(version);
        let mut function = vec![vec![false; n]; n];
        let mut mark = |x0: usize, y0: usize, width: usize, height: usize| {
            for row in &mut function[y0..y0 + height] {
                row[x0..x0 + width].iter_mut().for_each(|m| *m = true);
            }
        };
        // Finders with their separators and format areas, the dark module.
        mark(0, 0, 9, 9);
        mark(n - 8, 0, 8, 9);
        mark(0, n - 8, 9, 8);
        // Timing patterns.
        mark(6, 0, 1, n);
        mark(0, 6, n, 1);
        let centres = alignment_centres(version, n);
        let last = centres.len().saturating_sub(1);
        for (i, &y) in centres.iter().enumerate() {
            for (j, &x) in centres.iter().enumerate() {
                if !(i == 0 && (j == 0 || j == last) || i == last && j == 0) {
                    mark(x - 2, y - 2, 5, 5);
                }
            }
        }
        if version >= 7 {
            mark(n - 11, 0, 3, 6);
            mark(0, n - 11, 6, 3);
        }
        let format = |x: usize, y: usize| {
            (y == 8 && (x <= 8 && x != 6 || x >= n - 8)) || (x == 8 && (y <= 8 && y != 6 || y >= n - 7))
        };
        let by_row = |keep: &dyn Fn(usize, usize) -> bool| -> Vec<Line> {
            (0..n)
                .map(|y| {
                    let mut line = Line::default();
                    (0..n).filter(|&x| keep(x, y)).for_each(|x| line.set(x));
                    line
                })
                .collect()
        };
        let by_column = |keep: &dyn Fn(usize, usize) -> bool| by_row(&|y, x| keep(x, y));
        let data = |x: usize, y: usize| !function[y][x];
        let masked = |m: usize| move |x: usize, y: usize| data(x, y) && flips(m, x, y);
        Layout {
            size: n,
            data_rows: by_row(&data),
            data_columns: by_column(&data),
            row_masks: std::array::from_fn(|m| by_row(&masked(m))),
            column_masks: std::array::from_fn(|m| by_column(&masked(m))),
            scored_rows: by_row(&|x, y| !format(x, y)),
            scored_columns: by_column(&|x, y| !format(x, y)),
            format_rows: std::array::from_fn(|m| by_row(&|x, y| format(x, y) && format_bit(m, n, x, y))),
        }
    }

    /// The mask with the lowest penalty over the modules before any mask,
    /// scored `W` words a line; the first of them on a tie.
    fn best_mask<const W: usize>(&self, rows: &[Line], columns: &[Line]) -> usize {
        (0..8).min_by_key(|&m| self.penalty::<W>(rows, columns, m)).expect("there are eight masks")
    }

    /// The penalty of mask `m` over the modules before any mask.
    fn penalty<const W: usize>(&self, rows: &[Line], columns: &[Line], m: usize) -> u32 {
        let mut total = 0;
        let mut dark = 0;
        let mut above: Option<(Line<W>, Line<W>)> = None;
        for ((row, mask), data) in rows.iter().zip(&self.row_masks[m]).zip(&self.data_rows) {
            let (values, data) = (Line::<W>::narrow(*row ^ *mask), Line::<W>::narrow(*data));
            total += line_penalty(values, data);
            dark += values.count() as usize;
            if let Some((top, top_data)) = above {
                total += block_penalty(top, values, top_data & data);
            }
            above = Some((values, data));
        }
        for ((column, mask), data) in columns.iter().zip(&self.column_masks[m]).zip(&self.data_columns) {
            total += line_penalty(Line::<W>::narrow(*column ^ *mask), Line::<W>::narrow(*data));
        }
        total + DARK_PENALTY[dark * 100 / (self.size * self.size)]
    }
}

/// Whether the format information of mask `m` at level M, in a code `n`
/// modules wide, has a dark module in column `x`, row `y` of a format area.
fn format_bit(m: usize, n: usize, x: usize, y: usize) -> bool {
    let data = m as u32; // level M's two bits are 00
    let remainder = (0..10).fold(data, |r, _| (r << 1) ^ ((r >> 9) * 0x537));
    let bits = (data << 10 | remainder) ^ 0x5412;
    let bit = match (x, y) {
        (8, 0..=5) => y,
        (8, 7) => 6,
        (8, 8) => 7,
        (7, 8) => 8,
        (0..=5, 8) => 14 - x,
        (_, 8) => n - 1 - x,
        _ => y + 15 - n,
    };
    bits >> bit & 1 == 1
}

/// Whether mask `m` flips the module in column `x`, row `y`.
fn flips(m: usize, x: usize, y: usize) -> bool {
    match m {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (x / 3 + y / 2).is_multiple_of(2),
        5 => x * y % 2 + x * y % 3 == 0,
        6 => (x * y % 2 + x * y % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + x * y % 3).is_multiple_of(2),
    }
}

/// The rows (and columns) of the alignment patterns' centres of `version`,
/// `n` modules wide.
fn alignment_centres(version: u8, n: usize) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let count = usize::from(version) / 7 + 2;
    let step = if version == 32 { 26 } else { (usize::from(version) * 4 + count * 2 + 1) / (count * 2 - 2) * 2 };
    let mut centres: Vec<usize> = (0..count - 1).map(|i| n - 7 - i * step).collect();
    centres.push(6);
    centres.reverse();
    centres
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules of fast_qr's code of `text`, row by row.
    fn fast_qr_modules(text: &str) -> Vec<bool> {
        let code = fast_qr::QRBuilder::new(text.as_bytes()).ecl(fast_qr::ECL::M).build().expect("fits");
        code.data[..code.size * code.size].iter().map(|m| m.value()).collect()
    }

    fn modules(text: &str) -> Vec<bool> {
        let code = encode(text).expect("fits");
        let n = code.size();
        let mut modules = vec![false; n * n];
        for y in 0..n {
            for (x, run) in code.dark_runs(y) {
                modules[y * n + x..y * n + x + run].fill(true);
            }
        }
        modules
    }

    #[test]
    fn codes_are_those_fast_qr_drew() {
        let mut seed = 7u64;
        for length in (1..400).chain((400..2300).step_by(97)) {
            let text: String = (0..length)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    char::from(b"abcdefghijklmnopqrstuvwxyz0123456789-/:.?=_"[(seed >> 33) as usize % 43])
                })
                .collect();
            let url = format!("https://dichvucong.example.gov.vn/thu-tuc/{text}/");
            assert!(fast_qr_modules(&url) == modules(&url), "{url}");
        }
    }

    #[test]
    fn numeric_and_alphanumeric_texts_are_drawn_alike() {
        for text in ["0123456789", "HTTPS://EXAMPLE.GOV.VN/THU-TUC/A1/", "1"] {
            assert!(fast_qr_modules(text) == modules(text), "{text}");
        }
    }
}
