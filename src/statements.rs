//! Financial statements of a book, straight from its ledger: the balance sheet (laporan
//! posisi keuangan / neraca), the income statement (perhitungan hasil usaha, PHU) with the
//! member / non-member split, and the cash flow statement (direct method) — each with its
//! reconciliation check, and as a renderer-neutral
//! [`Document`] for the text, CSV, Markdown, HTML and
//! JSON renderers of `koperasi-reporting`.

use std::collections::BTreeMap;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Period, Rupiah};
use koperasi_ledger::{AccountClass, Counterparty, EntryKind, Side};
use koperasi_reporting::report::{Block, Cell, Document, Table};
use koperasi_savings_loans::SavingsKind;

use crate::book::Koperasi;
use crate::error::{Error, Result, ledger};
use crate::posting::PostingRole as R;

/// One line of a statement: account code, name, amount.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct StatementLine {
    /// The account code (empty for a computed line).
    pub code: String,
    /// The label.
    pub name: String,
    /// The amount (contra accounts negative).
    pub amount: Rupiah,
}

/// The balance sheet (laporan posisi keuangan / neraca) as of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[doc(alias = "neraca")]
#[doc(alias = "laporan posisi keuangan")]
pub struct BalanceSheet {
    /// The date.
    pub as_of: NaiveDate,
    /// Assets (contra accounts negative).
    pub assets: Vec<StatementLine>,
    /// Liabilities.
    pub liabilities: Vec<StatementLine>,
    /// Equity, including the not-yet-closed result of the year.
    pub equity: Vec<StatementLine>,
    /// Σ assets.
    pub total_assets: Rupiah,
    /// Σ liabilities.
    pub total_liabilities: Rupiah,
    /// Σ equity.
    pub total_equity: Rupiah,
}

impl BalanceSheet {
    /// Assets = liabilities + equity.
    pub fn balances(&self) -> bool {
        self.total_liabilities.checked_add(self.total_equity) == Ok(self.total_assets)
    }
}

/// The income statement (perhitungan hasil usaha, PHU) of a period, closing entries excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[doc(alias = "PHU")]
#[doc(alias = "perhitungan hasil usaha")]
pub struct IncomeStatement {
    /// The period.
    pub period: Period,
    /// Revenue by account.
    pub revenue: Vec<StatementLine>,
    /// Cost of sales (HPP) by account.
    pub cost_of_sales: Vec<StatementLine>,
    /// Operating and cooperative expenses and tax by account.
    pub expenses: Vec<StatementLine>,
    /// Revenue from members (partisipasi anggota), by the lines' counterparty.
    pub member_revenue: Rupiah,
    /// Revenue from non-members.
    pub non_member_revenue: Rupiah,
    /// Σ revenue.
    pub total_revenue: Rupiah,
    /// Σ cost of sales.
    pub total_cost_of_sales: Rupiah,
    /// Σ expenses.
    pub total_expenses: Rupiah,
    /// The result: SHU (negative: a loss).
    pub result: Rupiah,
}

/// The cash flow statement (laporan arus kas, direct method) of a period: every movement of
/// kas and bank, by activity.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[doc(alias = "arus kas")]
pub struct CashFlow {
    /// The period.
    pub period: Period,
    /// Kas + bank at the start.
    pub opening: Rupiah,
    /// (activity, what, net amount), e.g. ("operasi", "Penjualan", …).
    pub lines: Vec<(String, String, Rupiah)>,
    /// Net cash from operating activities.
    pub operating: Rupiah,
    /// Net cash from investing activities.
    pub investing: Rupiah,
    /// Net cash from financing activities.
    pub financing: Rupiah,
    /// Kas + bank at the end.
    pub closing: Rupiah,
}

impl CashFlow {
    /// opening + operating + investing + financing = closing.
    pub fn reconciles(&self) -> bool {
        let sum = self
            .opening
            .checked_add(self.operating)
            .and_then(|x| x.checked_add(self.investing))
            .and_then(|x| x.checked_add(self.financing));
        sum == Ok(self.closing)
    }
}

fn add(a: Rupiah, b: Rupiah) -> Result<Rupiah> {
    Ok(a.checked_add(b)?)
}

impl Koperasi {
    /// The balance sheet as of `as_of`.
    ///
    /// # Errors
    /// [`Error::Ledger`] or [`Error::Core`] on a failed query or overflow.
    pub fn balance_sheet(&self, as_of: NaiveDate) -> Result<BalanceSheet> {
        let chart = self.ledger().chart();
        let mut bs = BalanceSheet {
            as_of,
            assets: Vec::new(),
            liabilities: Vec::new(),
            equity: Vec::new(),
            total_assets: Rupiah::ZERO,
            total_liabilities: Rupiah::ZERO,
            total_equity: Rupiah::ZERO,
        };
        let mut result = Rupiah::ZERO;
        for (code, bal) in self
            .ledger()
            .balances(as_of)
            .map_err(ledger("balance_sheet"))?
        {
            let Some(acc) = chart.get(code.as_str()) else {
                continue;
            };
            let amount = bal.on_side(acc.class.normal_side());
            if amount.is_zero() {
                continue;
            }
            let line = StatementLine {
                code: code.as_str().to_owned(),
                name: acc.name.clone(),
                amount,
            };
            match acc.class {
                AccountClass::Asset => {
                    bs.total_assets = add(bs.total_assets, amount)?;
                    bs.assets.push(line);
                }
                AccountClass::Liability => {
                    bs.total_liabilities = add(bs.total_liabilities, amount)?;
                    bs.liabilities.push(line);
                }
                AccountClass::Equity => {
                    bs.total_equity = add(bs.total_equity, amount)?;
                    bs.equity.push(line);
                }
                AccountClass::Revenue => result = add(result, amount)?,
                _ => result = result.checked_sub(amount)?,
            }
        }
        if !result.is_zero() {
            bs.total_equity = add(bs.total_equity, result)?;
            bs.equity.push(StatementLine {
                code: String::new(),
                name: "SHU tahun berjalan (belum ditutup)".to_owned(),
                amount: result,
            });
        }
        Ok(bs)
    }

    /// The income statement (PHU) of `period`, closing entries excluded (so it also works for a
    /// closed year).
    ///
    /// # Errors
    /// [`Error::Ledger`] or [`Error::Core`] on a failed query or overflow.
    pub fn income_statement(&self, period: Period) -> Result<IncomeStatement> {
        let chart = self.ledger().chart();
        let mut s = IncomeStatement {
            period,
            revenue: Vec::new(),
            cost_of_sales: Vec::new(),
            expenses: Vec::new(),
            member_revenue: Rupiah::ZERO,
            non_member_revenue: Rupiah::ZERO,
            total_revenue: Rupiah::ZERO,
            total_cost_of_sales: Rupiah::ZERO,
            total_expenses: Rupiah::ZERO,
            result: Rupiah::ZERO,
        };
        // One pass over the period's entries (closing entries excluded): totals per account,
        // and revenue by counterparty.
        let mut sums: Vec<(i128, i128)> = vec![(0, 0); chart.len()];
        for e in self.ledger().entries() {
            if !period.contains(e.date()) || matches!(e.kind(), EntryKind::Closing { .. }) {
                continue;
            }
            for l in e.lines() {
                let Some(ix) = chart.index_of(l.account.as_str()) else {
                    continue;
                };
                let Some(acc) = chart.accounts().get(ix) else {
                    continue;
                };
                if !acc.class.is_nominal() {
                    continue;
                }
                if let Some(t) = sums.get_mut(ix) {
                    if l.side == Side::Debit {
                        t.0 = t.0.saturating_add(l.amount.to_sen());
                    } else {
                        t.1 = t.1.saturating_add(l.amount.to_sen());
                    }
                }
                if acc.class == AccountClass::Revenue {
                    let signed = if l.side == Side::Credit {
                        l.amount
                    } else {
                        l.amount.negated()
                    };
                    match l.dims.counterparty {
                        Some(Counterparty::NonMember) => {
                            s.non_member_revenue = add(s.non_member_revenue, signed)?;
                        }
                        Some(Counterparty::Member) => {
                            s.member_revenue = add(s.member_revenue, signed)?;
                        }
                        _ => {}
                    }
                }
            }
        }
        for (acc, (debit, credit)) in chart.accounts().iter().zip(sums) {
            if !acc.postable || !acc.class.is_nominal() {
                continue;
            }
            let net = if acc.class.normal_side() == Side::Credit {
                credit.saturating_sub(debit)
            } else {
                debit.saturating_sub(credit)
            };
            let amount = Rupiah::try_from_sen_i128(net)?;
            if amount.is_zero() {
                continue;
            }
            let line = StatementLine {
                code: acc.code.as_str().to_owned(),
                name: acc.name.clone(),
                amount,
            };
            if acc.class == AccountClass::Revenue {
                s.total_revenue = add(s.total_revenue, amount)?;
                s.revenue.push(line);
            } else if acc.kind == koperasi_ledger::AccountKind::CostOfSales {
                s.total_cost_of_sales = add(s.total_cost_of_sales, amount)?;
                s.cost_of_sales.push(line);
            } else {
                s.total_expenses = add(s.total_expenses, amount)?;
                s.expenses.push(line);
            }
        }
        s.result = s
            .total_revenue
            .checked_sub(s.total_cost_of_sales)?
            .checked_sub(s.total_expenses)?;
        Ok(s)
    }

    /// The cash flow statement of `period` (kas and bank, direct method).
    ///
    /// # Errors
    /// [`Error::Ledger`] or [`Error::Core`] on a failed query or overflow.
    pub fn cash_flow(&self, period: Period) -> Result<CashFlow> {
        let cash = [self.code(R::Cash), self.code(R::Bank)];
        let before = period.start().pred_opt().ok_or(Error::Internal {
            op: "cash_flow",
            what: "period starts at the first date".into(),
        })?;
        let bal = |d: NaiveDate| -> Result<Rupiah> {
            let mut t = Rupiah::ZERO;
            for c in &cash {
                t = add(t, self.ledger().balance(c, d).map_err(ledger("cash_flow"))?)?;
            }
            Ok(t)
        };
        let financing_roles = [
            R::MemberSavings(SavingsKind::Principal),
            R::MemberSavings(SavingsKind::Mandatory),
            R::HimbaraLoan,
            R::Grant,
            R::EquityParticipation,
            R::MemberShuPayable,
            R::ExitRefundPayable,
            R::VillageSharePayable,
        ];
        let financing: Vec<String> = financing_roles.iter().map(|r| self.code(*r)).collect();
        let mut by: BTreeMap<(u8, String), Rupiah> = BTreeMap::new();
        for e in self.ledger().entries() {
            if !period.contains(e.date()) {
                continue;
            }
            let mut delta = Rupiah::ZERO;
            let mut class = 0u8;
            for l in e.lines() {
                let code = l.account.as_str();
                if cash.iter().any(|c| c == code) {
                    let signed = if l.side == Side::Debit {
                        l.amount
                    } else {
                        l.amount.negated()
                    };
                    delta = add(delta, signed)?;
                } else if financing.iter().any(|c| c == code) {
                    class = class.max(2);
                } else if code.starts_with("1-2") {
                    class = class.max(1);
                }
            }
            if delta.is_zero() {
                continue;
            }
            let label = cash_label(e.source());
            let slot = by.entry((class, label.to_owned())).or_insert(Rupiah::ZERO);
            *slot = add(*slot, delta)?;
        }
        let mut cf = CashFlow {
            period,
            opening: bal(before)?,
            lines: Vec::new(),
            operating: Rupiah::ZERO,
            investing: Rupiah::ZERO,
            financing: Rupiah::ZERO,
            closing: bal(period.end())?,
        };
        for ((class, label), amount) in by {
            let (activity, slot) = match class {
                0 => ("operasi", &mut cf.operating),
                1 => ("investasi", &mut cf.investing),
                _ => ("pendanaan", &mut cf.financing),
            };
            *slot = add(*slot, amount)?;
            cf.lines.push((activity.to_owned(), label, amount));
        }
        Ok(cf)
    }
}

/// An Indonesian label for a cash movement, from the entry's source.
fn cash_label(source: &str) -> &'static str {
    let kind = source.split(':').next().unwrap_or("");
    match kind {
        "savings" => {
            if source.contains("/pokok") {
                "Simpanan pokok"
            } else if source.contains("/wajib") {
                "Simpanan wajib"
            } else if source.contains("/berjangka") {
                "Simpanan berjangka"
            } else {
                "Simpanan sukarela"
            }
        }
        "loan" => {
            if source.contains("/disbursement") {
                "Pencairan pinjaman anggota"
            } else if source.contains("/recovery") {
                "Penagihan pinjaman dihapusbukukan"
            } else {
                "Angsuran pinjaman anggota"
            }
        }
        "sale" => "Penjualan tunai",
        "qris-settlement" => "Settlement QRIS",
        "stock" => "Pembelian persediaan",
        "supplier" => "Pembayaran pemasok",
        "expense" => "Beban usaha",
        "himbara" => "Pinjaman Himbara",
        "asset" => "Pembelian aset tetap",
        "capital" => "Hibah dan modal penyertaan",
        "transfer" => "Pemindahan kas/bank",
        "member" => "Pengembalian simpanan anggota keluar",
        "shu" => "Pembayaran SHU",
        _ => "Lain-lain",
    }
}

fn money_table(title: &str, lines: &[StatementLine], total_label: &str, total: Rupiah) -> Table {
    let mut t = Table::new(
        title,
        &[("kode", "Kode"), ("akun", "Akun"), ("jumlah", "Jumlah")],
    );
    for l in lines {
        t.push(vec![
            Cell::from(l.code.as_str()),
            Cell::from(l.name.as_str()),
            Cell::Money(l.amount),
        ]);
    }
    t.total = Some(vec![
        Cell::Empty,
        Cell::from(total_label),
        Cell::Money(total),
    ]);
    t
}

impl BalanceSheet {
    /// As a renderer-neutral document.
    pub fn document(&self, cooperative: &str) -> Document {
        Document {
            title: format!("Laporan Posisi Keuangan (Neraca) — {cooperative}"),
            subtitle: vec![format!("per {}", self.as_of)],
            blocks: vec![
                Block::Table(money_table(
                    "Aset",
                    &self.assets,
                    "Jumlah aset",
                    self.total_assets,
                )),
                Block::Table(money_table(
                    "Liabilitas",
                    &self.liabilities,
                    "Jumlah liabilitas",
                    self.total_liabilities,
                )),
                Block::Table(money_table(
                    "Ekuitas",
                    &self.equity,
                    "Jumlah ekuitas",
                    self.total_equity,
                )),
                Block::Note(if self.balances() {
                    "Aset = liabilitas + ekuitas (seimbang).".to_owned()
                } else {
                    "PERINGATAN: neraca tidak seimbang.".to_owned()
                }),
            ],
        }
    }
}

impl IncomeStatement {
    /// As a renderer-neutral document.
    pub fn document(&self, cooperative: &str) -> Document {
        let mut summary = Table::new("Ringkasan", &[("pos", "Pos"), ("jumlah", "Jumlah")]);
        for (label, amount) in [
            (
                "Pendapatan dari anggota (partisipasi anggota)",
                self.member_revenue,
            ),
            ("Pendapatan dari non-anggota", self.non_member_revenue),
            ("Jumlah pendapatan", self.total_revenue),
            ("Beban pokok (HPP)", self.total_cost_of_sales),
            ("Beban usaha dan perkoperasian", self.total_expenses),
        ] {
            summary.push(vec![Cell::from(label), Cell::Money(amount)]);
        }
        summary.total = Some(vec![
            Cell::from("Sisa hasil usaha (SHU)"),
            Cell::Money(self.result),
        ]);
        Document {
            title: format!("Perhitungan Hasil Usaha (PHU) — {cooperative}"),
            subtitle: vec![format!(
                "{} s.d. {}",
                self.period.start(),
                self.period.end()
            )],
            blocks: vec![
                Block::Table(money_table(
                    "Pendapatan",
                    &self.revenue,
                    "Jumlah pendapatan",
                    self.total_revenue,
                )),
                Block::Table(money_table(
                    "Beban pokok penjualan (HPP)",
                    &self.cost_of_sales,
                    "Jumlah HPP",
                    self.total_cost_of_sales,
                )),
                Block::Table(money_table(
                    "Beban",
                    &self.expenses,
                    "Jumlah beban",
                    self.total_expenses,
                )),
                Block::Table(summary),
            ],
        }
    }
}

impl CashFlow {
    /// As a renderer-neutral document.
    pub fn document(&self, cooperative: &str) -> Document {
        let mut t = Table::new(
            "Arus kas",
            &[
                ("aktivitas", "Aktivitas"),
                ("pos", "Pos"),
                ("jumlah", "Jumlah"),
            ],
        );
        t.push(vec![
            Cell::Empty,
            Cell::from("Kas dan bank awal periode"),
            Cell::Money(self.opening),
        ]);
        for (activity, label, amount) in &self.lines {
            t.push(vec![
                Cell::from(activity.as_str()),
                Cell::from(label.as_str()),
                Cell::Money(*amount),
            ]);
        }
        for (label, amount) in [
            ("Arus kas bersih dari aktivitas operasi", self.operating),
            ("Arus kas bersih dari aktivitas investasi", self.investing),
            ("Arus kas bersih dari aktivitas pendanaan", self.financing),
        ] {
            t.push(vec![Cell::Empty, Cell::from(label), Cell::Money(amount)]);
        }
        t.total = Some(vec![
            Cell::Empty,
            Cell::from("Kas dan bank akhir periode"),
            Cell::Money(self.closing),
        ]);
        Document {
            title: format!("Laporan Arus Kas — {cooperative}"),
            subtitle: vec![format!(
                "{} s.d. {} (metode langsung)",
                self.period.start(),
                self.period.end()
            )],
            blocks: vec![
                Block::Table(t),
                Block::Note(if self.reconciles() {
                    "Saldo awal + arus kas bersih = saldo akhir (rekonsiliasi cocok).".to_owned()
                } else {
                    "PERINGATAN: arus kas tidak cocok dengan perubahan kas.".to_owned()
                }),
            ],
        }
    }
}
