//! The chart of accounts (bagan akun): codes, classes, hierarchy, limits.

use crate::error::{CodeErrorKind, Error, Result};
use crate::fx::FxMap;

/// An account code such as `1-1-01` (Kas): 1 to 32 ASCII letters, digits, `-` or `.`.
///
/// Codes are compared as text; the standard chart zero-pads its numbers so that text order is
/// the natural order.
///
/// ```
/// use koperasi_ledger::AccountCode;
///
/// let kas: AccountCode = "1-1-01".parse()?;
/// assert_eq!(kas.as_str(), "1-1-01");
/// assert!("1 1".parse::<AccountCode>().is_err());
/// # Ok::<(), koperasi_ledger::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
#[doc(alias = "kode akun")]
pub struct AccountCode(String);

impl AccountCode {
    /// The longest code, in bytes.
    pub const MAX_LEN: usize = 32;

    /// Validates a code.
    ///
    /// # Errors
    /// [`Error::InvalidCode`] if it is empty, longer than [`MAX_LEN`](Self::MAX_LEN) or has a
    /// character other than ASCII letters, digits, `-` and `.`.
    pub fn new(code: impl Into<String>) -> Result<AccountCode> {
        let code = code.into();
        let kind = if code.is_empty() {
            Some(CodeErrorKind::Empty)
        } else if code.len() > Self::MAX_LEN {
            Some(CodeErrorKind::TooLong)
        } else if !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            Some(CodeErrorKind::InvalidCharacter)
        } else {
            None
        };
        match kind {
            Some(kind) => Err(Error::InvalidCode { code, kind }),
            None => Ok(AccountCode(code)),
        }
    }

    /// A code from text already known to be valid, or echoed back in an error.
    pub(crate) fn unchecked(code: &str) -> AccountCode {
        AccountCode(code.to_owned())
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for AccountCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AccountCode({})", self.0)
    }
}

impl core::fmt::Display for AccountCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad(&self.0)
    }
}

impl core::str::FromStr for AccountCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<AccountCode> {
        AccountCode::new(s)
    }
}

impl TryFrom<String> for AccountCode {
    type Error = Error;
    fn try_from(s: String) -> Result<AccountCode> {
        AccountCode::new(s)
    }
}

impl TryFrom<&str> for AccountCode {
    type Error = Error;
    fn try_from(s: &str) -> Result<AccountCode> {
        AccountCode::new(s)
    }
}

impl From<AccountCode> for String {
    fn from(c: AccountCode) -> String {
        c.0
    }
}

impl core::borrow::Borrow<str> for AccountCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for AccountCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The side of a line or a balance: debit or credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Side {
    /// Debit (debet).
    #[doc(alias = "debet")]
    Debit,
    /// Credit (kredit).
    #[doc(alias = "kredit")]
    Credit,
}

impl Side {
    /// The other side.
    #[must_use]
    pub fn opposite(self) -> Side {
        match self {
            Side::Debit => Side::Credit,
            Side::Credit => Side::Debit,
        }
    }
}

/// The class of an account (SAK EP statement element).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum AccountClass {
    /// Aset: normally debit.
    #[doc(alias = "aset")]
    Asset,
    /// Liabilitas (kewajiban): normally credit.
    #[doc(alias = "liabilitas")]
    #[doc(alias = "kewajiban")]
    Liability,
    /// Ekuitas (modal): normally credit.
    #[doc(alias = "ekuitas")]
    Equity,
    /// Pendapatan: normally credit; closed into SHU tahun berjalan at year end.
    #[doc(alias = "pendapatan")]
    Revenue,
    /// Beban (incl. HPP, beban perkoperasian, pajak — see [`AccountKind`]): normally debit;
    /// closed into SHU tahun berjalan at year end.
    #[doc(alias = "beban")]
    Expense,
}

impl AccountClass {
    /// The normal side of a (non-contra) account of this class.
    pub fn normal_side(self) -> Side {
        match self {
            AccountClass::Asset | AccountClass::Expense => Side::Debit,
            AccountClass::Liability | AccountClass::Equity | AccountClass::Revenue => Side::Credit,
        }
    }

    /// `true` for revenue and expense accounts (closed at year end).
    pub fn is_nominal(self) -> bool {
        matches!(self, AccountClass::Revenue | AccountClass::Expense)
    }
}

/// A finer kind inside a class; the expense kinds the PHU (income statement) shows apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum AccountKind {
    /// Nothing more specific (any class; for expenses: beban usaha).
    #[default]
    General,
    /// Harga pokok penjualan / beban pokok pendapatan (expense only).
    #[doc(alias = "HPP")]
    #[doc(alias = "harga pokok penjualan")]
    CostOfSales,
    /// Beban perkoperasian: RAT, pendidikan, pengawasan (expense only).
    #[doc(alias = "beban perkoperasian")]
    CooperativeExpense,
    /// Pajak penghasilan (expense only).
    #[doc(alias = "pajak")]
    IncomeTax,
}

impl core::fmt::Display for AccountKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            AccountKind::General => "general",
            AccountKind::CostOfSales => "cost_of_sales",
            AccountKind::CooperativeExpense => "cooperative_expense",
            AccountKind::IncomeTax => "income_tax",
        })
    }
}

/// A limit on an account's balance, checked on every posting against the account's total
/// over all posted entries (the `TigerBeetle` `debits_must_not_exceed_credits` idea).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum BalanceLimit {
    /// Σ debits ≤ Σ credits: the balance never goes below zero on the credit side (member
    /// savings).
    DebitsMustNotExceedCredits,
    /// Σ credits ≤ Σ debits: the balance never goes below zero on the debit side (cash).
    CreditsMustNotExceedDebits,
}

/// One account of the chart.
///
/// Build with [`Account::postable`] or [`Account::header`] and the `with_*` methods.
///
/// ```
/// use koperasi_ledger::{Account, AccountClass, BalanceLimit};
///
/// let kas = Account::postable("1-1-01", "Kas", AccountClass::Asset)?
///     .with_parent("1-1")?
///     .with_limit(BalanceLimit::CreditsMustNotExceedDebits);
/// assert!(kas.postable && kas.open && !kas.contra);
/// # Ok::<(), koperasi_ledger::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "akun")]
#[doc(alias = "perkiraan")]
pub struct Account {
    /// The code.
    pub code: AccountCode,
    /// The name (Indonesian).
    pub name: String,
    /// The class.
    pub class: AccountClass,
    /// The kind within the class.
    #[cfg_attr(feature = "serde", serde(default))]
    pub kind: AccountKind,
    /// The parent (header) account, if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub parent: Option<AccountCode>,
    /// A contra account (e.g. PPAP, akumulasi penyusutan): its normal side is the opposite
    /// of its class's.
    #[cfg_attr(feature = "serde", serde(default))]
    pub contra: bool,
    /// `true` for a leaf that takes postings; `false` for a header that only groups.
    pub postable: bool,
    /// `false` once the account is closed: it takes no new postings.
    pub open: bool,
    /// An optional balance limit.
    #[cfg_attr(feature = "serde", serde(default))]
    pub limit: Option<BalanceLimit>,
}

impl Account {
    fn build(code: &str, name: &str, class: AccountClass, postable: bool) -> Result<Account> {
        Ok(Account {
            code: AccountCode::new(code)?,
            name: name.to_owned(),
            class,
            kind: AccountKind::General,
            parent: None,
            contra: false,
            postable,
            open: true,
            limit: None,
        })
    }

    /// A postable (leaf) account, open, with no parent, limit or contra flag.
    ///
    /// # Errors
    /// [`Error::InvalidCode`] for a malformed code.
    pub fn postable(code: &str, name: &str, class: AccountClass) -> Result<Account> {
        Self::build(code, name, class, true)
    }

    /// A header account (groups children, takes no postings).
    ///
    /// # Errors
    /// [`Error::InvalidCode`] for a malformed code.
    pub fn header(code: &str, name: &str, class: AccountClass) -> Result<Account> {
        Self::build(code, name, class, false)
    }

    /// Sets the parent.
    ///
    /// # Errors
    /// [`Error::InvalidCode`] for a malformed code.
    pub fn with_parent(mut self, parent: &str) -> Result<Account> {
        self.parent = Some(AccountCode::new(parent)?);
        Ok(self)
    }

    /// Sets the kind.
    #[must_use]
    pub fn with_kind(mut self, kind: AccountKind) -> Account {
        self.kind = kind;
        self
    }

    /// Marks it a contra account.
    #[must_use]
    pub fn contra(mut self) -> Account {
        self.contra = true;
        self
    }

    /// Sets a balance limit.
    #[must_use]
    pub fn with_limit(mut self, limit: BalanceLimit) -> Account {
        self.limit = Some(limit);
        self
    }

    /// The side on which its balance is normally carried: its class's normal side, flipped
    /// for a contra account.
    pub fn normal_side(&self) -> Side {
        let side = self.class.normal_side();
        if self.contra { side.opposite() } else { side }
    }
}

/// A validated chart of accounts: unique codes, every parent present, no cycles, children
/// only under header accounts, a child of the same class as its parent.
///
/// Accounts keep the order in which they were given (their position is their internal
/// index); [`ChartOfAccounts::standard_kkmp`] gives the standard chart of a Koperasi
/// Desa/Kelurahan Merah Putih.
///
/// ```
/// use koperasi_ledger::{Account, AccountClass, ChartOfAccounts, Error};
///
/// let chart = ChartOfAccounts::new(vec![
///     Account::header("1", "Aset", AccountClass::Asset)?,
///     Account::postable("1-01", "Kas", AccountClass::Asset)?.with_parent("1")?,
/// ])?;
/// assert_eq!(chart.len(), 2);
///
/// let orphan = ChartOfAccounts::new(vec![
///     Account::postable("1-01", "Kas", AccountClass::Asset)?.with_parent("1")?,
/// ]);
/// assert!(matches!(orphan, Err(Error::OrphanAccount { .. })));
/// # Ok::<(), koperasi_ledger::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[doc(alias = "bagan akun")]
#[doc(alias = "daftar akun")]
pub struct ChartOfAccounts {
    accounts: Vec<Account>,
    index: FxMap<AccountCode, u32>,
}

impl ChartOfAccounts {
    /// Validates and builds a chart.
    ///
    /// Checks, in this order: duplicate codes ([`Error::DuplicateAccount`]), parents that are
    /// missing ([`Error::OrphanAccount`]), cycles ([`Error::AccountCycle`]), children under a
    /// postable account ([`Error::PostableParent`]), a class different from the parent's
    /// ([`Error::ClassMismatch`]), an expense-only kind on another class
    /// ([`Error::KindMismatch`]).
    ///
    /// # Errors
    /// The variants above.
    pub fn new(accounts: Vec<Account>) -> Result<ChartOfAccounts> {
        let mut index = FxMap::with_capacity_and_hasher(
            accounts.len(),
            foldhash::quality::FixedState::default(),
        );
        for (i, a) in accounts.iter().enumerate() {
            let i = u32::try_from(i).map_err(|_| Error::DuplicateAccount {
                code: a.code.clone(),
            })?;
            if index.insert(a.code.clone(), i).is_some() {
                return Err(Error::DuplicateAccount {
                    code: a.code.clone(),
                });
            }
        }
        let chart = ChartOfAccounts { accounts, index };
        chart.validate()?;
        Ok(chart)
    }

    fn validate(&self) -> Result<()> {
        for a in &self.accounts {
            if let Some(p) = &a.parent
                && !self.index.contains_key(p)
            {
                return Err(Error::OrphanAccount {
                    code: a.code.clone(),
                    parent: p.clone(),
                });
            }
        }
        // Cycles: walk up from every account; more steps than accounts means a cycle.
        for a in &self.accounts {
            let mut cur = a.parent.as_ref();
            let mut steps = 0usize;
            while let Some(p) = cur {
                steps = steps.saturating_add(1);
                if p == &a.code || steps > self.accounts.len() {
                    return Err(Error::AccountCycle {
                        code: a.code.clone(),
                    });
                }
                cur = self.get(p.as_str()).and_then(|x| x.parent.as_ref());
            }
        }
        for a in &self.accounts {
            if let Some(parent) = a.parent.as_ref().and_then(|p| self.get(p.as_str())) {
                if parent.postable {
                    return Err(Error::PostableParent {
                        code: parent.code.clone(),
                        child: a.code.clone(),
                    });
                }
                if parent.class != a.class {
                    return Err(Error::ClassMismatch {
                        code: a.code.clone(),
                        parent: parent.code.clone(),
                    });
                }
            }
        }
        for a in &self.accounts {
            if a.kind != AccountKind::General && a.class != AccountClass::Expense {
                return Err(Error::KindMismatch {
                    code: a.code.clone(),
                    kind: a.kind,
                });
            }
        }
        Ok(())
    }

    /// Adds an account (e.g. a unit-specific sub-account), validating it against the chart.
    /// On error the chart is unchanged.
    ///
    /// # Errors
    /// As [`ChartOfAccounts::new`].
    pub fn add(&mut self, account: Account) -> Result<()> {
        let mut accounts = self.accounts.clone();
        accounts.push(account);
        *self = ChartOfAccounts::new(accounts)?;
        Ok(())
    }

    /// The account with this code.
    pub fn get(&self, code: &str) -> Option<&Account> {
        self.index
            .get(code)
            .and_then(|&i| self.accounts.get(i as usize))
    }

    /// `true` if the chart has this code.
    pub fn contains(&self, code: &str) -> bool {
        self.index.contains_key(code)
    }

    /// The internal index of an account (its position in [`accounts`](Self::accounts)).
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.index.get(code).map(|&i| i as usize)
    }

    /// All accounts, in chart order.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// Iterates over the accounts in chart order.
    pub fn iter(&self) -> core::slice::Iter<'_, Account> {
        self.accounts.iter()
    }

    /// The direct children of an account.
    pub fn children<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Account> + 'a {
        self.accounts
            .iter()
            .filter(move |a| a.parent.as_ref().is_some_and(|p| p.as_str() == code))
    }

    /// The postable accounts at or below `code` (the account itself if it is postable).
    pub fn leaves_under<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Account> + 'a {
        self.accounts
            .iter()
            .filter(move |a| a.postable && self.is_under(a.code.as_str(), code))
    }

    /// `true` if `code` is `ancestor` or a descendant of it.
    pub fn is_under(&self, code: &str, ancestor: &str) -> bool {
        let mut cur = Some(code);
        let mut steps = 0usize;
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            steps = steps.saturating_add(1);
            if steps > self.accounts.len() {
                return false;
            }
            cur = self
                .get(c)
                .and_then(|a| a.parent.as_ref())
                .map(AccountCode::as_str);
        }
        false
    }

    /// Number of accounts.
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// `true` if the chart has no account.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    pub(crate) fn set_open(&mut self, code: &str, open: bool) -> Result<()> {
        let i = self.index_of(code).ok_or_else(|| Error::NoSuchAccount {
            code: AccountCode::unchecked(code),
        })?;
        if let Some(a) = self.accounts.get_mut(i) {
            a.open = open;
        }
        Ok(())
    }
}

impl<'a> IntoIterator for &'a ChartOfAccounts {
    type Item = &'a Account;
    type IntoIter = core::slice::Iter<'a, Account>;
    fn into_iter(self) -> Self::IntoIter {
        self.accounts.iter()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ChartOfAccounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        self.accounts.serialize(s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ChartOfAccounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let accounts = Vec::<Account>::deserialize(d)?;
        ChartOfAccounts::new(accounts).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(code: &str, parent: Option<&str>, postable: bool) -> Account {
        let mut acc = if postable {
            Account::postable(code, code, AccountClass::Asset).unwrap()
        } else {
            Account::header(code, code, AccountClass::Asset).unwrap()
        };
        if let Some(p) = parent {
            acc = acc.with_parent(p).unwrap();
        }
        acc
    }

    #[test]
    fn code_validation() {
        assert!(AccountCode::new("1-1-01").is_ok());
        assert!(matches!(
            AccountCode::new(""),
            Err(Error::InvalidCode {
                kind: CodeErrorKind::Empty,
                ..
            })
        ));
        assert!(matches!(
            AccountCode::new("x".repeat(33)),
            Err(Error::InvalidCode {
                kind: CodeErrorKind::TooLong,
                ..
            })
        ));
        assert!(matches!(
            AccountCode::new("1/1"),
            Err(Error::InvalidCode {
                kind: CodeErrorKind::InvalidCharacter,
                ..
            })
        ));
    }

    #[test]
    fn every_chart_error() {
        let dup = ChartOfAccounts::new(vec![a("1", None, true), a("1", None, true)]);
        assert!(matches!(dup, Err(Error::DuplicateAccount { .. })));
        let orphan = ChartOfAccounts::new(vec![a("1-01", Some("1"), true)]);
        assert!(matches!(orphan, Err(Error::OrphanAccount { .. })));
        let cycle = ChartOfAccounts::new(vec![a("1", Some("2"), false), a("2", Some("1"), false)]);
        assert!(matches!(cycle, Err(Error::AccountCycle { .. })));
        let selfcycle = ChartOfAccounts::new(vec![a("1", Some("1"), false)]);
        assert!(matches!(selfcycle, Err(Error::AccountCycle { .. })));
        let postable_parent =
            ChartOfAccounts::new(vec![a("1", None, true), a("2", Some("1"), true)]);
        assert!(matches!(postable_parent, Err(Error::PostableParent { .. })));
        let class = ChartOfAccounts::new(vec![
            a("1", None, false),
            Account::postable("2", "x", AccountClass::Liability)
                .unwrap()
                .with_parent("1")
                .unwrap(),
        ]);
        assert!(matches!(class, Err(Error::ClassMismatch { .. })));
        let kind = ChartOfAccounts::new(vec![a("1", None, true).with_kind(AccountKind::IncomeTax)]);
        assert!(matches!(kind, Err(Error::KindMismatch { .. })));
    }

    #[test]
    fn add_keeps_chart_on_error() {
        let mut c = ChartOfAccounts::new(vec![a("1", None, false)]).unwrap();
        let before = c.clone();
        assert!(c.add(a("1", None, true)).is_err());
        assert_eq!(c, before);
        c.add(a("1-01", Some("1"), true)).unwrap();
        assert_eq!(c.children("1").count(), 1);
        assert!(c.is_under("1-01", "1"));
        assert_eq!(c.leaves_under("1").count(), 1);
    }

    #[test]
    fn normal_side() {
        let ppap = Account::postable("x", "PPAP", AccountClass::Asset)
            .unwrap()
            .contra();
        assert_eq!(ppap.normal_side(), Side::Credit);
        assert_eq!(AccountClass::Expense.normal_side(), Side::Debit);
    }
}
