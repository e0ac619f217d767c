//! The book's accounts as the reports read them: every postable account with its balance as
//! of a snapshot's date and its flow over the year (from the PHU, closing entries excluded),
//! classified by the **posting map** (which role, if any, the account holds), the chart's
//! **class** and **kind**, and the chart's grouping — never by an account code or a name.
//!
//! Current versus non-current liabilities, and the fixed-asset group, are not roles: an
//! account is classified with the role accounts it sits beside in the chart (same parent).

use std::collections::HashMap;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, Rupiah};
use koperasi_ledger::{AccountClass, AccountKind, ChartOfAccounts, Side};
use koperasi_reporting::health::{InputTrace, Precision, TracePart};
use koperasi_reporting::statements::IncomeStatement;
use koperasi_savings_loans::SavingsKind;

use crate::book::Koperasi;
use crate::error::{Error, Result, reporting};
use crate::posting::PostingRole as R;
use crate::snapshot::BookSnapshot;

/// The liability roles that are current (due within the year or on demand).
const CURRENT_LIABILITY_ROLES: [R; 14] = [
    R::MemberSavings(SavingsKind::Voluntary),
    R::MemberSavings(SavingsKind::TimeDeposit),
    R::TradePayable,
    R::TaxPayable,
    R::AccruedSavingsInterest,
    R::AccruedHimbaraInterest,
    R::ManagementFund,
    R::EmployeeFund,
    R::EducationFund,
    R::SocialFund,
    R::RegionalDevelopmentFund,
    R::VillageSharePayable,
    R::MemberShuPayable,
    R::ExitRefundPayable,
];

/// One postable account as read.
#[derive(Debug, Clone)]
pub(crate) struct AccountView<'a> {
    pub(crate) code: &'a str,
    pub(crate) name: &'a str,
    pub(crate) class: AccountClass,
    /// The account's kind, or the nearest header's that is not general.
    pub(crate) kind: AccountKind,
    pub(crate) parent: Option<&'a str>,
    /// The role the posting map gives the account (the first in [`R::all`] order, if several
    /// roles share it).
    pub(crate) role: Option<R>,
    /// Balance as of the snapshot's date on the class's side (assets and expenses debit,
    /// the others credit): a contra account is negative.
    pub(crate) balance: Decimal,
    /// A contra account (its normal side is the opposite of its class's).
    pub(crate) contra: bool,
    /// The year's activity (PHU, closing excluded) on the class's side; zero for balance
    /// sheet accounts.
    pub(crate) flow: Decimal,
    /// For a liability: current (`true`) or not.
    pub(crate) current: bool,
    /// For an asset: in the fixed-asset group (beside accumulated depreciation).
    pub(crate) fixed: bool,
}

/// The accounts of a book as of a snapshot's date, with the year's flows.
#[derive(Debug)]
pub(crate) struct Accounts<'a> {
    pub(crate) list: Vec<AccountView<'a>>,
    by_role: HashMap<R, usize>,
    pub(crate) as_of: NaiveDate,
    pub(crate) from: NaiveDate,
}

fn class_side(class: AccountClass) -> Side {
    match class {
        AccountClass::Asset | AccountClass::Expense => Side::Debit,
        _ => Side::Credit,
    }
}

fn effective_kind(chart: &ChartOfAccounts, code: &str) -> AccountKind {
    let mut cur = chart.get(code);
    for _ in 0..64 {
        let Some(a) = cur else { break };
        if a.kind != AccountKind::General {
            return a.kind;
        }
        cur = a.parent.as_ref().and_then(|p| chart.get(p.as_str()));
    }
    AccountKind::General
}

pub(crate) fn overflow() -> Error {
    Error::Core(koperasi_core::Error::Overflow {
        op: "health inputs",
    })
}

/// `−x`.
pub(crate) fn neg(x: Decimal) -> Result<Decimal> {
    Decimal::ZERO.checked_sub(x).ok_or_else(overflow)
}

/// `x × num / den` rounded half-up to the sen; zero when `den` is zero.
pub(crate) fn part(x: Decimal, num: Decimal, den: Decimal) -> Result<Decimal> {
    if den.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let product = x.checked_mul(num).ok_or_else(overflow)?;
    Precision::TWO_HALF_UP
        .divide(product, Decimal::ONE, den)
        .map_err(reporting("health inputs"))
}

impl<'a> Accounts<'a> {
    /// Reads `book`'s accounts as of `snap`'s date; flows from `phu` (the year's PHU, which
    /// has one line per account).
    pub(crate) fn read(
        book: &'a Koperasi,
        snap: &BookSnapshot,
        phu: &IncomeStatement,
    ) -> Accounts<'a> {
        let chart = book.ledger().chart();
        let mut role_of: HashMap<String, R> = HashMap::new();
        for role in R::all() {
            role_of.entry(book.code(role)).or_insert(role);
        }
        let mut flows: HashMap<&str, Rupiah> = HashMap::new();
        for l in phu.sections.iter().flat_map(|s| &s.lines) {
            if let [code] = l.accounts.as_slice() {
                flows.insert(code.as_str(), l.amounts.current);
            }
        }
        let mut list = Vec::with_capacity(snap.balances.len());
        for (code, b) in &snap.balances {
            let Some(a) = chart.get(code.as_str()) else {
                continue;
            };
            let side = class_side(a.class);
            let flow = if a.class.is_nominal() {
                flows
                    .get(code.as_str())
                    .map_or(Decimal::ZERO, |r| r.to_decimal())
            } else {
                Decimal::ZERO
            };
            list.push(AccountView {
                code: a.code.as_str(),
                name: a.name.as_str(),
                class: a.class,
                kind: effective_kind(chart, a.code.as_str()),
                parent: a.parent.as_ref().map(koperasi_ledger::AccountCode::as_str),
                role: role_of.get(code.as_str()).copied(),
                balance: b.on_side(side).to_decimal(),
                contra: a.contra,
                flow,
                current: false,
                fixed: false,
            });
        }
        // Every role to its account, also when a chart maps several roles to one account.
        let index: HashMap<&str, usize> =
            list.iter().enumerate().map(|(i, a)| (a.code, i)).collect();
        let by_role = R::all()
            .into_iter()
            .filter_map(|r| index.get(book.code(r).as_str()).map(|i| (r, *i)))
            .collect();
        let mut accounts = Accounts {
            list,
            by_role,
            as_of: snap.as_of,
            from: snap.as_of,
        };
        accounts.classify(book);
        accounts
    }

    /// Sets the first day of the flows' period.
    pub(crate) fn with_period_start(mut self, from: NaiveDate) -> Accounts<'a> {
        self.from = from;
        self
    }

    fn classify(&mut self, book: &Koperasi) {
        let parent_of = |role: R| -> Option<String> {
            book.ledger()
                .chart()
                .get(&book.code(role))
                .and_then(|a| a.parent.as_ref().map(|p| p.as_str().to_owned()))
        };
        let current_roles: Vec<R> = CURRENT_LIABILITY_ROLES.to_vec();
        let current_parents: Vec<String> =
            current_roles.iter().filter_map(|r| parent_of(*r)).collect();
        let non_current_parents: Vec<String> = [
            R::HimbaraLoan,
            R::MemberSavings(SavingsKind::Principal),
            R::MemberSavings(SavingsKind::Mandatory),
        ]
        .into_iter()
        .filter(|r| {
            book.ledger()
                .chart()
                .get(&book.code(*r))
                .is_some_and(|a| a.class == AccountClass::Liability)
        })
        .filter_map(parent_of)
        .collect();
        let fixed_parent = parent_of(R::AccumulatedDepreciation);
        for a in &mut self.list {
            match a.class {
                AccountClass::Liability => {
                    a.current = match a.role {
                        Some(r) if current_roles.contains(&r) => true,
                        Some(R::HimbaraLoan | R::MemberSavings(_)) => false,
                        _ => {
                            let p = a.parent.unwrap_or_default();
                            let in_current = current_parents.iter().any(|c| c == p);
                            let in_non_current = non_current_parents.iter().any(|c| c == p);
                            // Beside current role accounts only, or beside none: current.
                            in_current || !in_non_current
                        }
                    };
                }
                AccountClass::Asset => {
                    a.fixed = a.role == Some(R::AccumulatedDepreciation)
                        || (a.parent.is_some() && a.parent == fixed_parent.as_deref());
                }
                _ => {}
            }
        }
    }

    /// The account of `role`.
    pub(crate) fn role(&self, role: R) -> Option<&AccountView<'a>> {
        self.by_role.get(&role).and_then(|i| self.list.get(*i))
    }

    /// The flow of `role`'s account over the year.
    pub(crate) fn flow(&self, role: R) -> Decimal {
        self.role(role).map_or(Decimal::ZERO, |a| a.flow)
    }

    /// A part: the balance of `role`'s account, times `weight` percent.
    pub(crate) fn role_part(&self, role: R, weight: i64) -> Result<TracePart> {
        self.part_of(role, weight, false)
    }

    /// A part: the year's flow of `role`'s account, times `weight` percent (negative to
    /// subtract).
    pub(crate) fn role_flow_part(&self, role: R, weight: i64) -> Result<TracePart> {
        self.part_of(role, weight, true)
    }

    fn part_of(&self, role: R, weight: i64, flow: bool) -> Result<TracePart> {
        let source = format!("role:{}", role.key());
        let (code, name, basis) = match self.role(role) {
            None => ("", "", Decimal::ZERO),
            Some(a) if flow => (a.code, a.name, a.flow),
            // A role's balance on the account's own normal side (a contra account such as
            // the PPAP is positive).
            Some(a) if a.contra => (a.code, a.name, neg(a.balance)?),
            Some(a) => (a.code, a.name, a.balance),
        };
        let account = (!code.is_empty()).then_some(code);
        weighted(&source, account, name, basis, weight)
    }

    /// One part per account with a non-zero balance that `pick` selects, each times the
    /// weight `pick` gives (percent).
    pub(crate) fn balance_parts(
        &self,
        source: &str,
        mut pick: impl FnMut(&AccountView<'a>) -> Option<i64>,
    ) -> Result<Vec<TracePart>> {
        let mut v = Vec::new();
        for a in self.list.iter().filter(|a| !a.balance.is_zero()) {
            if let Some(w) = pick(a) {
                v.push(account_part(a, source, a.balance, w)?);
            }
        }
        Ok(v)
    }

    /// One part per account with a non-zero flow that `pick` selects, each times the weight
    /// `pick` gives (percent; negative to subtract).
    pub(crate) fn flow_parts(
        &self,
        source: &str,
        mut pick: impl FnMut(&AccountView<'a>) -> Option<i64>,
    ) -> Result<Vec<TracePart>> {
        let mut v = Vec::new();
        for a in self.list.iter().filter(|a| !a.flow.is_zero()) {
            if let Some(w) = pick(a) {
                v.push(account_part(a, source, a.flow, w)?);
            }
        }
        Ok(v)
    }

    /// A balance trace as of the snapshot's date.
    pub(crate) fn balance_trace(&self, how: &str, parts: Vec<TracePart>) -> Result<InputTrace> {
        InputTrace::balance(self.as_of, how, parts).map_err(reporting("health inputs"))
    }

    /// A flow trace over the year (to the snapshot's date).
    pub(crate) fn flow_trace(&self, how: &str, parts: Vec<TracePart>) -> Result<InputTrace> {
        InputTrace::flow(self.from, self.as_of, how, parts).map_err(reporting("health inputs"))
    }
}

fn account_part(
    a: &AccountView<'_>,
    source: &str,
    basis: Decimal,
    weight: i64,
) -> Result<TracePart> {
    let source = a
        .role
        .map_or_else(|| source.to_owned(), |r| format!("role:{}", r.key()));
    weighted(&source, Some(a.code), a.name, basis, weight)
}

/// A part `basis × weight / 100` (exact at 100 % and −100 %, else half-up to the sen).
pub(crate) fn weighted(
    source: &str,
    account: Option<&str>,
    label: &str,
    basis: Decimal,
    weight: i64,
) -> Result<TracePart> {
    let amount = match weight {
        100 => basis,
        -100 => neg(basis)?,
        w => part(basis, Decimal::from(w), Decimal::ONE_HUNDRED)?,
    };
    Ok(TracePart::weighted(
        source,
        account,
        label,
        basis,
        Decimal::from(weight),
        amount,
    ))
}
