//! The city view as a document (and so as HTML, Markdown, text and CSV).

use koperasi_core::Rupiah;
use rust_decimal::Decimal;

use super::{CityView, CooperativeRow, RankBy, SIMULATED_NOTICE};
use crate::health::Predikat;
use crate::report::{Block, Cell, Chart, ChartUnit, Document, Series, Table};

impl CityView {
    /// The city view as a document: overview, savings by kind, loans by collectibility,
    /// Himbara installments, SHU and desa share, flags, ranking, and three charts (savings and
    /// loans per cooperative, collectibility mix, predikat distribution).
    pub fn document(&self) -> Document {
        let title = if self.simulated {
            format!("SIMULASI — Pemantauan Koperasi — {}", self.city)
        } else {
            format!("Pemantauan Koperasi — {}", self.city)
        };
        let mut doc = Document::new(&title);
        if self.simulated {
            doc.blocks.push(Block::Note(SIMULATED_NOTICE.to_owned()));
        }
        let t = &self.totals;
        doc.subtitle.push(format!(
            "{} koperasi · {} anggota · {} calon anggota",
            t.cooperatives, t.anggota, t.calon_anggota
        ));
        let pcell = Cell::Percent;
        let total_label = || Cell::Text("Jumlah kota".to_owned());

        let mut o = Table::new(
            "Ringkasan per koperasi",
            &[
                ("code", "Kode"),
                ("name", "Koperasi"),
                ("members", "Anggota"),
                ("candidates", "Calon"),
                ("savings", "Simpanan"),
                ("loans", "Pinjaman"),
                ("npl_pct", "NPL %"),
                ("cash_ratio_pct", "Rasio kas %"),
                ("rat_on_time", "RAT tepat waktu"),
                ("rating", "Predikat"),
                ("flags", "Peringatan"),
            ],
        );
        for r in &self.cooperatives {
            let s = &r.snapshot;
            o.push(vec![
                s.code.as_str().into(),
                s.name.as_str().into(),
                Cell::Count(s.anggota),
                Cell::Count(s.calon_anggota),
                r.metrics.savings_total.into(),
                r.metrics.loans_outstanding.into(),
                pcell(r.metrics.npl_pct),
                pcell(r.metrics.rasio_kas_pct),
                match s.rat_on_time() {
                    Some(true) => "ya".into(),
                    Some(false) => "tidak".into(),
                    None => Cell::Empty,
                },
                s.health.map_or(Cell::Empty, |h| h.predikat.label().into()),
                Cell::Count(u64::try_from(r.flags).unwrap_or(u64::MAX)),
            ]);
        }
        o.total = Some(vec![
            total_label(),
            Cell::Empty,
            Cell::Count(t.anggota),
            Cell::Count(t.calon_anggota),
            self.total_metrics.savings_total.into(),
            self.total_metrics.loans_outstanding.into(),
            pcell(self.total_metrics.npl_pct),
            pcell(self.total_metrics.rasio_kas_pct),
            Cell::Text(format!("{}/{}", t.rat_on_time, t.cooperatives)),
            Cell::Empty,
            Cell::Count(u64::try_from(self.flags.len()).unwrap_or(u64::MAX)),
        ]);
        doc.blocks.push(Block::Table(o));

        let mut sv = Table::new(
            "Simpanan per jenis",
            &[
                ("code", "Kode"),
                ("principal", "Pokok"),
                ("mandatory", "Wajib"),
                ("voluntary", "Sukarela"),
                ("time_deposit", "Berjangka"),
                ("total", "Jumlah"),
            ],
        );
        for r in &self.cooperatives {
            let s = &r.snapshot.savings;
            sv.push(vec![
                r.snapshot.code.as_str().into(),
                s.pokok.into(),
                s.wajib.into(),
                s.sukarela.into(),
                s.berjangka.into(),
                r.metrics.savings_total.into(),
            ]);
        }
        sv.total = Some(vec![
            total_label(),
            t.savings.pokok.into(),
            t.savings.wajib.into(),
            t.savings.sukarela.into(),
            t.savings.berjangka.into(),
            self.total_metrics.savings_total.into(),
        ]);
        doc.blocks.push(Block::Table(sv));

        let mut ln = Table::new(
            "Pinjaman per kolektibilitas",
            &[
                ("code", "Kode"),
                ("current", "Lancar"),
                ("substandard", "Kurang lancar"),
                ("doubtful", "Diragukan"),
                ("loss", "Macet"),
                ("outstanding", "Jumlah"),
                ("reserve", "Cadangan"),
                ("npl_pct", "NPL %"),
            ],
        );
        for r in &self.cooperatives {
            let l = &r.snapshot.loans;
            ln.push(vec![
                r.snapshot.code.as_str().into(),
                l.lancar.into(),
                l.kurang_lancar.into(),
                l.diragukan.into(),
                l.macet.into(),
                r.metrics.loans_outstanding.into(),
                r.snapshot.loan_reserve.into(),
                pcell(r.metrics.npl_pct),
            ]);
        }
        ln.total = Some(vec![
            total_label(),
            t.loans.lancar.into(),
            t.loans.kurang_lancar.into(),
            t.loans.diragukan.into(),
            t.loans.macet.into(),
            self.total_metrics.loans_outstanding.into(),
            t.loan_reserve.into(),
            pcell(self.total_metrics.npl_pct),
        ]);
        doc.blocks.push(Block::Table(ln));

        let mut us = Table::new(
            "Usaha dan SHU",
            &[
                ("code", "Kode"),
                ("sales_member", "Penjualan anggota"),
                ("sales_non_member", "Penjualan non-anggota"),
                ("shu", "SHU"),
                ("desa_share", "Bagian desa"),
                ("desa_share_pct", "Bagian desa %"),
            ],
        );
        for r in &self.cooperatives {
            let s = &r.snapshot;
            us.push(vec![
                s.code.as_str().into(),
                s.sales_member.into(),
                s.sales_non_member.into(),
                s.shu.into(),
                s.shu_desa.into(),
                pcell(r.metrics.desa_share_pct),
            ]);
        }
        us.total = Some(vec![
            total_label(),
            t.sales_member.into(),
            t.sales_non_member.into(),
            t.shu.into(),
            t.shu_desa.into(),
            pcell(self.total_metrics.desa_share_pct),
        ]);
        doc.blocks.push(Block::Table(us));

        let mut hb = Table::new(
            "Angsuran pinjaman Himbara (PMK 49/2025)",
            &[
                ("code", "Kode"),
                ("outstanding", "Sisa pokok"),
                ("due", "Jatuh tempo"),
                ("paid", "Dibayar"),
                ("late", "Terlambat"),
                ("days_late", "Hari"),
                ("intercepted", "Dana Desa/DAU"),
            ],
        );
        for r in &self.cooperatives {
            let h = &r.snapshot.himbara;
            hb.push(vec![
                r.snapshot.code.as_str().into(),
                h.outstanding.into(),
                h.due.into(),
                h.paid.into(),
                h.late.into(),
                Cell::Count(u64::from(h.days_late)),
                h.intercepted.into(),
            ]);
        }
        hb.total = Some(vec![
            total_label(),
            t.himbara.outstanding.into(),
            t.himbara.due.into(),
            t.himbara.paid.into(),
            t.himbara.late.into(),
            Cell::Count(u64::from(t.himbara.days_late)),
            t.himbara.intercepted.into(),
        ]);
        doc.blocks.push(Block::Table(hb));

        let mut fl = Table::new(
            "Peringatan",
            &[
                ("code", "Kode"),
                ("flag", "Peringatan"),
                ("detail", "Rincian"),
            ],
        );
        for f in &self.flags {
            fl.push(vec![
                f.cooperative.as_str().into(),
                f.kind.label().into(),
                f.detail.as_str().into(),
            ]);
        }
        doc.blocks.push(Block::Table(fl));

        let mut rk = Table::new(
            "Peringkat kesehatan",
            &[
                ("rank", "Peringkat"),
                ("code", "Kode"),
                ("name", "Koperasi"),
                ("score", "Skor"),
                ("rating", "Predikat"),
            ],
        );
        for (i, r) in self.ranking(RankBy::Health) {
            rk.push(vec![
                Cell::Count(u64::try_from(i).unwrap_or(u64::MAX)),
                r.snapshot.code.as_str().into(),
                r.snapshot.name.as_str().into(),
                r.snapshot
                    .health
                    .map_or(Cell::Empty, |h| Cell::Number(h.score)),
                r.snapshot
                    .health
                    .map_or(Cell::Empty, |h| h.predikat.label().into()),
            ]);
        }
        doc.blocks.push(Block::Table(rk));

        let labels: Vec<String> = self
            .cooperatives
            .iter()
            .map(|r| r.snapshot.code.clone())
            .collect();
        let col = |f: &dyn Fn(&CooperativeRow) -> Rupiah| -> Vec<Decimal> {
            self.cooperatives
                .iter()
                .map(|r| f(r).to_decimal())
                .collect()
        };
        doc.blocks.push(Block::Chart(Chart {
            title: "Simpanan dan pinjaman per koperasi".into(),
            labels: labels.clone(),
            series: vec![
                Series {
                    name: "Simpanan".into(),
                    values: col(&|r| r.metrics.savings_total),
                },
                Series {
                    name: "Pinjaman".into(),
                    values: col(&|r| r.metrics.loans_outstanding),
                },
            ],
            stacked: false,
            unit: ChartUnit::Rupiah,
        }));
        doc.blocks.push(Block::Chart(Chart {
            title: "Komposisi kolektibilitas pinjaman".into(),
            labels,
            series: vec![
                Series {
                    name: "Lancar".into(),
                    values: col(&|r| r.snapshot.loans.lancar),
                },
                Series {
                    name: "Kurang lancar".into(),
                    values: col(&|r| r.snapshot.loans.kurang_lancar),
                },
                Series {
                    name: "Diragukan".into(),
                    values: col(&|r| r.snapshot.loans.diragukan),
                },
                Series {
                    name: "Macet".into(),
                    values: col(&|r| r.snapshot.loans.macet),
                },
            ],
            stacked: true,
            unit: ChartUnit::Rupiah,
        }));
        let mut plabels: Vec<String> = Predikat::ALL.iter().map(|p| p.label().to_owned()).collect();
        plabels.push("Belum dinilai".into());
        let mut pvals: Vec<Decimal> = t
            .predikat_counts
            .iter()
            .map(|c| Decimal::from(*c))
            .collect();
        pvals.push(Decimal::from(t.unassessed));
        doc.blocks.push(Block::Chart(Chart {
            title: "Predikat kesehatan".into(),
            labels: plabels,
            series: vec![Series {
                name: "Jumlah koperasi".into(),
                values: pvals,
            }],
            stacked: false,
            unit: ChartUnit::Number,
        }));
        if self.simulated {
            doc.blocks.push(Block::Note(SIMULATED_NOTICE.to_owned()));
        }
        doc
    }
}
