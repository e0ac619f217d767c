//! Configuration of a reconciliation: the date window and the named rules for known
//! differences (bank fees, bank interest, tax on interest, QRIS settlements net of MDR).

use koperasi_core::Rupiah;
use koperasi_ledger::kkmp;

use crate::qris::{MdrSchedule, MerchantCategory};

/// Money in (a credit on the statement) or money out (a debit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Flow {
    /// Money in (kredit).
    In,
    /// Money out (debet).
    Out,
}

/// A named rule for a bank item the books do not have yet (Odoo's write-off models): a line
/// of the given flow whose description contains one of the labels (case-insensitive) is
/// explained, and an entry against `account` is proposed. Amounts are never guessed: the
/// proposed entry is exactly the bank line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Rule {
    /// The rule's name (in results and proposed entries).
    pub name: String,
    /// Which lines it applies to.
    pub flow: Flow,
    /// Description texts, any of which selects the line.
    pub labels: Vec<String>,
    /// The counter account of the proposed entry.
    pub account: String,
    /// Memo of the proposed entry.
    pub memo: String,
}

impl Rule {
    /// A rule.
    pub fn new(
        name: impl Into<String>,
        flow: Flow,
        labels: &[&str],
        account: impl Into<String>,
        memo: impl Into<String>,
    ) -> Rule {
        Rule {
            name: name.into(),
            flow,
            labels: labels.iter().map(|s| (*s).to_owned()).collect(),
            account: account.into(),
            memo: memo.into(),
        }
    }

    /// Bank administration fees (*biaya administrasi*) → Beban administrasi (6-1-06).
    pub fn bank_fee() -> Rule {
        Rule::new(
            "bank_fee",
            Flow::Out,
            &[
                "BIAYA ADM",
                "BIAYA ADMIN",
                "ADM BULANAN",
                "BIAYA TRANSFER",
                "BIAYA KARTU",
                "CHARGE",
                "FEE",
            ],
            kkmp::BEBAN_ADMINISTRASI,
            "Biaya administrasi bank",
        )
    }

    /// Tax withheld on bank interest (*pajak bunga*, `PPh` final) → Beban pajak (8-1-01).
    pub fn interest_tax() -> Rule {
        Rule::new(
            "interest_tax",
            Flow::Out,
            &["PAJAK", "PPH", "TAX"],
            kkmp::BEBAN_PAJAK,
            "Pajak atas bunga bank",
        )
    }

    /// Bank interest (*bunga / jasa giro*) → Pendapatan bunga bank (4-3-03).
    pub fn bank_interest() -> Rule {
        Rule::new(
            "bank_interest",
            Flow::In,
            &["BUNGA", "JASA GIRO", "INTEREST"],
            kkmp::PENDAPATAN_BUNGA_BANK,
            "Bunga bank",
        )
    }

    pub(crate) fn applies(&self, amount_sen: i64, description_upper: &str) -> bool {
        let flow_ok = match self.flow {
            Flow::In => amount_sen > 0,
            Flow::Out => amount_sen < 0,
        };
        flow_ok
            && self
                .labels
                .iter()
                .any(|l| description_upper.contains(&l.to_uppercase()))
    }
}

/// The QRIS settlement rule: a money-in line whose description contains one of the labels
/// and whose amount equals Σ (gross − MDR) of the open QRIS receivable items of a run of
/// days up to `max_days` before it, less the `settlement_fee`, is explained as that
/// settlement. The proposed entry debits the bank (net), the MDR expense (Σ MDR by the
/// schedule) and the fee account (the fee), and credits the receivable (Σ gross).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct QrisRule {
    /// Description texts of a settlement line.
    pub labels: Vec<String>,
    /// Piutang QRIS (1-1-09 in the KKMP chart).
    pub receivable: String,
    /// Beban MDR QRIS (6-1-07).
    pub mdr_expense: String,
    /// The MDR schedule.
    pub schedule: MdrSchedule,
    /// The merchant's category.
    pub category: MerchantCategory,
    /// A fixed fee per settlement (Rp0 for most acquirers).
    pub settlement_fee: Rupiah,
    /// The account for the settlement fee.
    pub fee_account: String,
    /// Sales of up to this many days before the settlement are considered (T+0..T+n).
    pub max_days: u32,
}

impl QrisRule {
    /// KKMP accounts, Bank Indonesia's schedule, the given category, no fee, T+0..T+3.
    pub fn standard(category: MerchantCategory) -> QrisRule {
        QrisRule {
            labels: vec!["QRIS".to_owned()],
            receivable: kkmp::PIUTANG_QRIS.to_owned(),
            mdr_expense: kkmp::BEBAN_MDR_QRIS.to_owned(),
            schedule: MdrSchedule::bank_indonesia(),
            category,
            settlement_fee: Rupiah::ZERO,
            fee_account: kkmp::BEBAN_ADMINISTRASI.to_owned(),
            max_days: 3,
        }
    }
}

/// How to reconcile.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Config {
    /// Days a bank line may lie before or after its book line (default 3).
    pub window_days: u32,
    /// When `n` bank lines and `n` book lines of one amount can only be paired among
    /// themselves, pair them in date order (each pair within the window) and say so in the
    /// match kind ([`MatchKind::DateOrder`](crate::MatchKind::DateOrder)); when `false`
    /// they become a suggestion. Default `true`: the lines are interchangeable in amount,
    /// so no total depends on the pairing.
    pub pair_identical_in_date_order: bool,
    /// Named rules for bank items the books lack, tried in order.
    pub rules: Vec<Rule>,
    /// The QRIS settlement rule, if the cooperative takes QRIS.
    pub qris: Option<QrisRule>,
}

impl Default for Config {
    /// ±3 days, date-order pairing, the rules interest tax, bank fee and bank interest, the
    /// QRIS rule for a micro merchant.
    fn default() -> Config {
        Config {
            window_days: 3,
            pair_identical_in_date_order: true,
            rules: vec![
                Rule::interest_tax(),
                Rule::bank_fee(),
                Rule::bank_interest(),
            ],
            qris: Some(QrisRule::standard(MerchantCategory::Micro)),
        }
    }
}
