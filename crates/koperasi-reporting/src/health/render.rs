//! Rendering of an [`Assessment`] as a renderer-neutral [`Document`].

use rust_decimal::Decimal;

use super::{Assessment, RatioSource};
use crate::report::{Block, Cell, Document, Table};

impl Assessment {
    /// The assessment as a renderer-neutral document: a component table (rasio, nilai, bobot,
    /// skor, band), an aspect table, and the total with its predikat.
    pub fn document(&self) -> Document {
        let mut doc = Document::new("Penilaian Kesehatan Koperasi");
        doc.subtitle.push(format!(
            "Profil: {} (versi {})",
            self.profile, self.profile_version
        ));
        let mut t = Table::new(
            "Komponen",
            &[
                ("aspect", "Aspek"),
                ("indicator", "Komponen"),
                ("ratio", "Rasio (%)"),
                ("band", "Rentang"),
                ("nilai", "Nilai"),
                ("bobot", "Bobot"),
                ("skor", "Skor"),
            ],
        );
        for c in &self.components {
            let ratio = match c.source {
                RatioSource::ZeroDenominator { .. } => Cell::Percent(None),
                _ => Cell::Number(c.ratio),
            };
            t.push(vec![
                c.aspect.as_str().into(),
                c.indicator.as_str().into(),
                ratio,
                c.band.as_str().into(),
                Cell::Number(c.nilai),
                Cell::Number(c.bobot),
                Cell::Number(c.skor),
            ]);
        }
        t.total = Some(vec![
            "Jumlah".into(),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Number(
                self.aspects
                    .iter()
                    .map(|a| a.bobot)
                    .fold(Decimal::ZERO, |x, y| x.checked_add(y).unwrap_or(x)),
            ),
            Cell::Number(self.total),
        ]);
        let mut a = Table::new(
            "Aspek",
            &[("aspect", "Aspek"), ("bobot", "Bobot"), ("skor", "Skor")],
        );
        for x in &self.aspects {
            a.push(vec![
                x.name.as_str().into(),
                Cell::Number(x.bobot),
                Cell::Number(x.skor),
            ]);
        }
        doc.blocks.push(Block::Table(t));
        doc.blocks.push(Block::Table(a));
        doc.blocks.push(Block::Note(format!(
            "Skor total {} — predikat {}",
            crate::report::decimal_id(self.total),
            self.predikat.label()
        )));
        if !self.traces.is_empty() {
            doc.blocks.push(Block::Table(trace_table(self)));
        }
        doc
    }
}

/// One row per part of each traced input: the input, its value, date or period and
/// derivation on its first row, then the source, account, basis, weight and amount.
fn trace_table(a: &Assessment) -> Table {
    let mut t = Table::new(
        "Asal angka (jejak setiap input)",
        &[
            ("input", "Input"),
            ("value", "Nilai"),
            ("as_of", "Per tanggal / periode"),
            ("derivation", "Cara menghitung"),
            ("source", "Sumber"),
            ("account", "Akun"),
            ("label", "Uraian"),
            ("basis", "Saldo / arus"),
            ("weight", "Bobot (%)"),
            ("amount", "Jumlah"),
        ],
    );
    for (key, tr) in &a.traces {
        let head = || -> Vec<Cell> {
            vec![
                key.as_str().into(),
                Cell::Number(tr.value),
                tr.when().into(),
                tr.derivation.as_str().into(),
            ]
        };
        if tr.parts.is_empty() {
            let mut row = head();
            row.extend([Cell::Empty, Cell::Empty, Cell::Empty]);
            row.extend([Cell::Empty, Cell::Empty, Cell::Empty]);
            t.push(row);
            continue;
        }
        for (i, p) in tr.parts.iter().enumerate() {
            let mut row = if i == 0 {
                head()
            } else {
                vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]
            };
            row.extend([
                p.source.as_str().into(),
                p.account.as_deref().map_or(Cell::Empty, Cell::from),
                p.label.as_str().into(),
                Cell::Number(p.basis),
                Cell::Number(p.weight),
                Cell::Number(p.amount),
            ]);
            t.push(row);
        }
    }
    t
}
