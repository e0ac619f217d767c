//! Journal entries (jurnal) and their lines, with dimensions.

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, FiscalYear, MemberId, Rupiah};

use crate::chart::{AccountCode, Side};
use crate::error::Result;

/// A business unit of a KDMP/KKMP (unit usaha), the `unit` dimension of a line.
///
/// The seven units of the programme (numbered as in the standard chart, [`crate::kkmp`]),
/// plus `Other(n)` for units added by a cooperative (LPG, pupuk, agen `BRILink`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[doc(alias = "unit usaha")]
pub enum BusinessUnit {
    /// Unit simpan pinjam (01).
    SimpanPinjam,
    /// Kios pengadaan sembako (02).
    Sembako,
    /// Klinik desa/kelurahan (03).
    Klinik,
    /// Apotek desa/kelurahan (04).
    Apotek,
    /// Pergudangan / cold storage (05).
    Pergudangan,
    /// Sarana logistik (06).
    Logistik,
    /// Kantor koperasi (07).
    KantorKoperasi,
    /// Another unit, numbered by the cooperative.
    Other(u8),
}

impl BusinessUnit {
    /// The unit's number: 1–7 for the standard units, `0x100 + n` for `Other(n)`.
    pub fn number(self) -> u16 {
        match self {
            BusinessUnit::SimpanPinjam => 1,
            BusinessUnit::Sembako => 2,
            BusinessUnit::Klinik => 3,
            BusinessUnit::Apotek => 4,
            BusinessUnit::Pergudangan => 5,
            BusinessUnit::Logistik => 6,
            BusinessUnit::KantorKoperasi => 7,
            BusinessUnit::Other(n) => 0x100 | u16::from(n),
        }
    }

    /// The unit with this [`number`](Self::number).
    pub fn from_number(n: u16) -> Option<BusinessUnit> {
        Some(match n {
            1 => BusinessUnit::SimpanPinjam,
            2 => BusinessUnit::Sembako,
            3 => BusinessUnit::Klinik,
            4 => BusinessUnit::Apotek,
            5 => BusinessUnit::Pergudangan,
            6 => BusinessUnit::Logistik,
            7 => BusinessUnit::KantorKoperasi,
            0x100..=0x1ff => BusinessUnit::Other(u8::try_from(n & 0xff).ok()?),
            _ => return None,
        })
    }

    /// The seven standard units.
    pub const STANDARD: [BusinessUnit; 7] = [
        BusinessUnit::SimpanPinjam,
        BusinessUnit::Sembako,
        BusinessUnit::Klinik,
        BusinessUnit::Apotek,
        BusinessUnit::Pergudangan,
        BusinessUnit::Logistik,
        BusinessUnit::KantorKoperasi,
    ];
}

/// Who the other party of a line is: the member/non-member split that SHU and the PHU need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[doc(alias = "lawan transaksi")]
pub enum Counterparty {
    /// A member (anggota).
    #[doc(alias = "anggota")]
    Member,
    /// Not a member (non-anggota, the public).
    #[doc(alias = "non-anggota")]
    NonMember,
    /// Another cooperative (koperasi lain).
    #[doc(alias = "koperasi lain")]
    OtherCoop,
}

impl Counterparty {
    /// Number used in the canonical encoding (1, 2, 3).
    pub fn number(self) -> u8 {
        match self {
            Counterparty::Member => 1,
            Counterparty::NonMember => 2,
            Counterparty::OtherCoop => 3,
        }
    }

    /// The counterparty with this [`number`](Self::number).
    pub fn from_number(n: u8) -> Option<Counterparty> {
        match n {
            1 => Some(Counterparty::Member),
            2 => Some(Counterparty::NonMember),
            3 => Some(Counterparty::OtherCoop),
            _ => None,
        }
    }
}

/// The dimensions of a line: business unit, counterparty kind and member, each optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "dimensi")]
pub struct Dimensions {
    /// The business unit.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub unit: Option<BusinessUnit>,
    /// The counterparty kind.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub counterparty: Option<Counterparty>,
    /// The member concerned.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub member: Option<MemberId>,
}

/// One line of a journal entry: an account, a side and a positive amount, with dimensions.
///
/// ```
/// use koperasi_core::{MemberId, Rupiah};
/// use koperasi_ledger::{kkmp, BusinessUnit, Counterparty, Line, Side};
///
/// let line = Line::credit(&kkmp::member_revenue("02"), Rupiah::from_rupiah(75_000))?
///     .unit(BusinessUnit::Sembako)
///     .counterparty(Counterparty::Member)
///     .member(MemberId::from_u128(7));
/// assert_eq!(line.side, Side::Credit);
/// # Ok::<(), koperasi_ledger::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Line {
    /// The account.
    pub account: AccountCode,
    /// Debit or credit.
    pub side: Side,
    /// The amount (must be positive).
    pub amount: Rupiah,
    /// Unit, counterparty, member.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub dims: Dimensions,
}

impl Line {
    /// A line with no dimensions.
    pub fn new(account: AccountCode, side: Side, amount: Rupiah) -> Line {
        Line {
            account,
            side,
            amount,
            dims: Dimensions::default(),
        }
    }

    /// A debit line.
    ///
    /// # Errors
    /// [`Error::InvalidCode`](crate::Error::InvalidCode) for a malformed code.
    pub fn debit(account: &str, amount: Rupiah) -> Result<Line> {
        Ok(Line::new(AccountCode::new(account)?, Side::Debit, amount))
    }

    /// A credit line.
    ///
    /// # Errors
    /// [`Error::InvalidCode`](crate::Error::InvalidCode) for a malformed code.
    pub fn credit(account: &str, amount: Rupiah) -> Result<Line> {
        Ok(Line::new(AccountCode::new(account)?, Side::Credit, amount))
    }

    /// Sets the business unit.
    #[must_use]
    pub fn unit(mut self, unit: BusinessUnit) -> Line {
        self.dims.unit = Some(unit);
        self
    }

    /// Sets the counterparty kind.
    #[must_use]
    pub fn counterparty(mut self, counterparty: Counterparty) -> Line {
        self.dims.counterparty = Some(counterparty);
        self
    }

    /// Sets the member.
    #[must_use]
    pub fn member(mut self, member: MemberId) -> Line {
        self.dims.member = Some(member);
        self
    }

    /// Replaces all dimensions.
    #[must_use]
    pub fn with_dims(mut self, dims: Dimensions) -> Line {
        self.dims = dims;
        self
    }
}

/// What kind of entry a posted entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum EntryKind {
    /// An ordinary entry posted by [`Ledger::post`](crate::Ledger::post).
    #[default]
    Normal,
    /// A reversal (jurnal pembalik) of the entry `of`.
    #[doc(alias = "jurnal pembalik")]
    Reversal {
        /// The reversed entry.
        of: EntryId,
    },
    /// The closing entry (jurnal penutup) of a fiscal year.
    #[doc(alias = "jurnal penutup")]
    Closing {
        /// The closed year.
        year: FiscalYear,
    },
}

/// A journal entry as the caller writes it: caller-chosen id (the idempotency key), date,
/// memo, at least two lines, the source document or operation, and the actor.
///
/// `source` is free text; by convention `kind:reference`, e.g.
/// `loan:0190…/installment:3`, `savings:<member>/wajib/2025-03`, `qris:<rrn>`.
///
/// ```
/// use chrono::NaiveDate;
/// use koperasi_core::{ActorId, EntryId, Rupiah};
/// use koperasi_ledger::{kkmp, JournalEntry};
///
/// let e = JournalEntry::new(EntryId::from_u128(1), NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(), ActorId::from_u128(9))
///     .with_memo("Setoran simpanan pokok Siti")
///     .with_source("savings:siti/pokok")
///     .debit(kkmp::KAS, Rupiah::from_rupiah(100_000))?
///     .credit(kkmp::SIMPANAN_POKOK, Rupiah::from_rupiah(100_000))?;
/// assert_eq!(e.lines.len(), 2);
/// # Ok::<(), koperasi_ledger::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "jurnal")]
#[doc(alias = "jurnal umum")]
pub struct JournalEntry {
    /// The caller-chosen id: posting the same id twice posts once.
    pub id: EntryId,
    /// The accounting date.
    pub date: NaiveDate,
    /// The memo (keterangan).
    #[cfg_attr(feature = "serde", serde(default))]
    pub memo: String,
    /// The lines.
    pub lines: Vec<Line>,
    /// The source document or operation.
    #[cfg_attr(feature = "serde", serde(default))]
    pub source: String,
    /// Who posted it.
    pub actor: ActorId,
}

impl JournalEntry {
    /// An entry with no lines, memo or source yet.
    pub fn new(id: EntryId, date: NaiveDate, actor: ActorId) -> JournalEntry {
        JournalEntry {
            id,
            date,
            memo: String::new(),
            lines: Vec::new(),
            source: String::new(),
            actor,
        }
    }

    /// Sets the memo.
    #[must_use]
    pub fn with_memo(mut self, memo: impl Into<String>) -> JournalEntry {
        self.memo = memo.into();
        self
    }

    /// Sets the source.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<String>) -> JournalEntry {
        self.source = source.into();
        self
    }

    /// Adds a line.
    #[must_use]
    pub fn with_line(mut self, line: Line) -> JournalEntry {
        self.lines.push(line);
        self
    }

    /// Adds a debit line without dimensions.
    ///
    /// # Errors
    /// [`Error::InvalidCode`](crate::Error::InvalidCode) for a malformed code.
    pub fn debit(self, account: &str, amount: Rupiah) -> Result<JournalEntry> {
        Ok(self.with_line(Line::debit(account, amount)?))
    }

    /// Adds a credit line without dimensions.
    ///
    /// # Errors
    /// [`Error::InvalidCode`](crate::Error::InvalidCode) for a malformed code.
    pub fn credit(self, account: &str, amount: Rupiah) -> Result<JournalEntry> {
        Ok(self.with_line(Line::credit(account, amount)?))
    }
}

/// A posted entry with its ledger metadata (returned by queries).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PostedEntry {
    /// The entry.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub entry: JournalEntry,
    /// Ordinary, reversal or closing.
    pub kind: EntryKind,
    /// Its leaf index in the audit log.
    pub leaf: u64,
    /// The entry that reversed it, if any.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub reversed_by: Option<EntryId>,
}
