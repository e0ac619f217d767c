//! Model-based test in the style of `TigerBeetle`'s workload + auditor: random sequences of
//! valid and invalid operations (posts, batches, reversals, closes, reopens, reused ids) run
//! against the ledger and against a deliberately simple reference model. After every step the
//! outcome (success or the exact error kind), the balances, the trial balance and the audit
//! log must agree, and a rejected operation must leave the ledger unchanged.

use std::collections::BTreeMap;
use std::mem::discriminant;

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, FiscalYear, Rupiah};
use koperasi_ledger::{
    ChartOfAccounts, EntryField, Error, JournalEntry, Ledger, Line, Reversal, Side, YearClose,
    YearReopen, kkmp,
};
use proptest::prelude::*;

const ACTOR: ActorId = ActorId::from_u128(1);
static CHART: std::sync::LazyLock<ChartOfAccounts> =
    std::sync::LazyLock::new(|| ChartOfAccounts::standard_kkmp().unwrap());
const DATES: [(i32, u32, u32); 5] = [
    (2024, 12, 31),
    (2025, 3, 1),
    (2025, 12, 31),
    (2026, 1, 15),
    (2026, 6, 30),
];
/// Accounts the model tracks (with the standard chart's limits).
const TRACKED: [&str; 8] = [
    kkmp::KAS,
    kkmp::BANK,
    kkmp::SIMPANAN_SUKARELA,
    "4-1-02",
    "4-2-02",
    kkmp::BEBAN_GAJI,
    kkmp::HIBAH,
    kkmp::SHU_TAHUN_BERJALAN,
];

fn date(i: usize) -> NaiveDate {
    let (y, m, d) = DATES[i % DATES.len()];
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Entry templates: valid ones, and each kind of invalid one.
fn template(t: u8) -> Vec<(&'static str, Side, i64)> {
    use Side::{Credit as C, Debit as D};
    match t % 12 {
        0 => vec![(kkmp::KAS, D, 100), (kkmp::SIMPANAN_SUKARELA, C, 100)],
        1 => vec![(kkmp::SIMPANAN_SUKARELA, D, 60), (kkmp::KAS, C, 60)],
        2 => vec![(kkmp::KAS, D, 50), ("4-1-02", C, 50)],
        3 => vec![(kkmp::BEBAN_GAJI, D, 30), (kkmp::KAS, C, 30)],
        4 => vec![(kkmp::BANK, D, 20), (kkmp::HIBAH, C, 20)],
        5 => vec![(kkmp::KAS, D, 10)],
        6 => vec![(kkmp::KAS, D, 0), (kkmp::HIBAH, C, 0)],
        7 => vec![(kkmp::KAS, D, 10), (kkmp::HIBAH, C, 9)],
        8 => vec![("9-9-99", D, 10), (kkmp::HIBAH, C, 10)],
        9 => vec![(kkmp::KAS, D, 10), ("1-1", C, 10)],
        10 => vec![(kkmp::KAS, D, 70), ("4-1-02", C, 40), ("4-2-02", C, 30)],
        _ => vec![(kkmp::BEBAN_GAJI, D, 15), (kkmp::BANK, C, 15)],
    }
}

fn make_entry(id: u8, t: u8, di: usize) -> JournalEntry {
    let mut e = JournalEntry::new(EntryId::from_u128(u128::from(id)), date(di), ACTOR)
        .with_memo(format!("t{}", t % 12))
        .with_source(format!("s{}", t % 12));
    for (code, side, rp) in template(t) {
        e.lines.push(Line::new(
            code.parse().unwrap(),
            side,
            Rupiah::from_rupiah(rp),
        ));
    }
    e
}

#[derive(Debug, Clone)]
enum Op {
    Post(u8, u8, usize),
    Batch(Vec<(u8, u8, usize)>),
    Reverse { of: u8, id: u8, di: usize },
    Close { year: i32, id: u8 },
    Reopen { year: i32, id: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    let spec = (1_u8..=14, 0_u8..12, 0_usize..5);
    prop_oneof![
        6 => spec.clone().prop_map(|(i, t, d)| Op::Post(i, t, d)),
        2 => proptest::collection::vec(spec, 1..=4).prop_map(Op::Batch),
        2 => (1_u8..=14, 1_u8..=20, 0_usize..5).prop_map(|(of, id, di)| Op::Reverse { of, id, di }),
        1 => (2025_i32..=2026, 1_u8..=20).prop_map(|(year, id)| Op::Close { year, id }),
        1 => (2025_i32..=2026, 1_u8..=20).prop_map(|(year, id)| Op::Reopen { year, id }),
    ]
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Normal,
    Reversal(EntryId),
    Closing,
}

#[derive(Debug, Clone)]
struct MEntry {
    e: JournalEntry,
    kind: Kind,
    reversed: bool,
}

/// The reference model: a list of entries and the set of closed years; everything else is
/// recomputed naively.
#[derive(Debug, Clone, Default)]
struct Model {
    entries: Vec<MEntry>,
    closed: BTreeMap<i32, Option<EntryId>>,
    records: u64,
}

fn limit_ok(code: &str, net_debit: i128) -> bool {
    match code {
        kkmp::KAS | kkmp::BANK => net_debit >= 0,
        kkmp::SIMPANAN_SUKARELA => net_debit <= 0,
        _ => true,
    }
}

fn is_nominal(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5') || code.starts_with('6')
}

impl Model {
    fn find(&self, id: EntryId) -> Option<usize> {
        self.entries.iter().position(|m| m.e.id == id)
    }

    fn net(&self, code: &str, as_of: Option<NaiveDate>) -> i128 {
        let mut n = 0i128;
        for m in &self.entries {
            if as_of.is_some_and(|d| m.e.date > d) {
                continue;
            }
            for l in &m.e.lines {
                if l.account.as_str() == code {
                    match l.side {
                        Side::Debit => n += l.amount.to_sen(),
                        Side::Credit => n -= l.amount.to_sen(),
                    }
                }
            }
        }
        n
    }

    fn closed_year_of(&self, d: NaiveDate) -> bool {
        self.closed.contains_key(&chrono::Datelike::year(&d))
    }

    /// The ledger's validation, written out plainly. `pending` = earlier entries of a batch.
    fn check(
        &self,
        e: &JournalEntry,
        kind: &Kind,
        pending: &[JournalEntry],
    ) -> Result<bool, Error> {
        if e.lines.len() < 2 {
            return Err(Error::TooFewLines {
                lines: e.lines.len(),
            });
        }
        for (line, l) in e.lines.iter().enumerate() {
            if !l.amount.is_positive() {
                return Err(Error::NonPositiveAmount {
                    line,
                    amount: l.amount,
                });
            }
        }
        let dr: i128 = e
            .lines
            .iter()
            .filter(|l| l.side == Side::Debit)
            .map(|l| l.amount.to_sen())
            .sum();
        let cr: i128 = e
            .lines
            .iter()
            .filter(|l| l.side == Side::Credit)
            .map(|l| l.amount.to_sen())
            .sum();
        if dr != cr {
            return Err(Error::Unbalanced {
                debit: Rupiah::try_from_sen_i128(dr).unwrap(),
                credit: Rupiah::try_from_sen_i128(cr).unwrap(),
            });
        }
        let chart = &*CHART;
        for (line, l) in e.lines.iter().enumerate() {
            if !chart.contains(l.account.as_str()) {
                return Err(Error::UnknownAccount {
                    line,
                    account: l.account.clone(),
                });
            }
        }
        for (line, l) in e.lines.iter().enumerate() {
            if !chart.get(l.account.as_str()).unwrap().postable {
                return Err(Error::HeaderAccount {
                    line,
                    account: l.account.clone(),
                });
            }
        }
        if self.closed_year_of(e.date) {
            return Err(Error::ClosedPeriod {
                date: e.date,
                year: FiscalYear::calendar(chrono::Datelike::year(&e.date)).unwrap(),
            });
        }
        let opening = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        if e.date < opening {
            return Err(Error::BeforeOpening {
                date: e.date,
                opening,
            });
        }
        if let Some(i) = self.find(e.id) {
            let m = &self.entries[i];
            return if m.kind == *kind && m.e == *e {
                Ok(false) // exists
            } else {
                Err(Error::ExistsWithDifferent {
                    id: e.id,
                    field: first_difference(&m.e, e),
                })
            };
        }
        if let Some(p) = pending.iter().find(|p| p.id == e.id) {
            return if p == e {
                Ok(false)
            } else {
                Err(Error::ExistsWithDifferent {
                    id: e.id,
                    field: first_difference(p, e),
                })
            };
        }
        for l in &e.lines {
            let code = l.account.as_str();
            let mut net = self.net(code, None);
            for p in pending.iter().chain(std::iter::once(e)) {
                for pl in p.lines.iter().filter(|pl| pl.account == l.account) {
                    match pl.side {
                        Side::Debit => net += pl.amount.to_sen(),
                        Side::Credit => net -= pl.amount.to_sen(),
                    }
                }
            }
            if !limit_ok(code, net) {
                return Err(Error::BalanceLimit {
                    account: l.account.clone(),
                    balance: Rupiah::try_from_sen_i128(if code == kkmp::SIMPANAN_SUKARELA {
                        -net
                    } else {
                        net
                    })
                    .unwrap(),
                });
            }
        }
        Ok(true)
    }

    fn push(&mut self, e: JournalEntry, kind: Kind) {
        if let Kind::Reversal(of) = &kind {
            let i = self.find(*of).unwrap();
            self.entries[i].reversed = true;
        }
        self.entries.push(MEntry {
            e,
            kind,
            reversed: false,
        });
        self.records += 1;
    }

    fn reversal_of(
        &self,
        of: EntryId,
        id: EntryId,
        d: NaiveDate,
        reason: &str,
    ) -> Option<JournalEntry> {
        let o = &self.entries[self.find(of)?].e;
        let mut e = JournalEntry::new(id, d, ACTOR)
            .with_memo(reason)
            .with_source(o.source.clone());
        for l in &o.lines {
            e.lines
                .push(Line::new(l.account.clone(), l.side.opposite(), l.amount).with_dims(l.dims));
        }
        Some(e)
    }

    fn apply(&mut self, op: &Op) -> Result<(), Error> {
        match op {
            Op::Post(id, t, di) => {
                let e = make_entry(*id, *t, *di);
                if self.check(&e, &Kind::Normal, &[])? {
                    self.push(e, Kind::Normal);
                    Ok(())
                } else {
                    Err(Error::Exists { id: e.id })
                }
            }
            Op::Batch(specs) => {
                let mut pending: Vec<JournalEntry> = Vec::new();
                for (index, (id, t, di)) in specs.iter().enumerate() {
                    let e = make_entry(*id, *t, *di);
                    match self.check(&e, &Kind::Normal, &pending) {
                        Ok(true) => pending.push(e),
                        Ok(false) => {}
                        Err(err) => {
                            return Err(Error::Batch {
                                index,
                                source: Box::new(err),
                            });
                        }
                    }
                }
                for e in pending {
                    self.push(e, Kind::Normal);
                }
                Ok(())
            }
            Op::Reverse { of, id, di } => {
                let of = EntryId::from_u128(u128::from(*of));
                let id = EntryId::from_u128(u128::from(*id));
                let Some(e) = self.reversal_of(of, id, date(*di), "r") else {
                    return Err(Error::EntryNotFound { id: of });
                };
                if let Some(i) = self.find(id) {
                    let m = &self.entries[i];
                    return Err(if m.kind == Kind::Reversal(of) && m.e == e {
                        Error::Exists { id }
                    } else {
                        Error::ExistsWithDifferent {
                            id,
                            field: EntryField::Date,
                        }
                    });
                }
                let o = &self.entries[self.find(of).unwrap()];
                if o.kind != Kind::Normal {
                    return Err(Error::NotReversible { id: of });
                }
                if o.reversed {
                    return Err(Error::AlreadyReversed { id: of, by: id });
                }
                if self.check(&e, &Kind::Reversal(of), &[])? {
                    self.push(e, Kind::Reversal(of));
                }
                Ok(())
            }
            Op::Close { year, id } => {
                let fy = FiscalYear::calendar(*year).unwrap();
                if self.closed.contains_key(year) {
                    return Err(Error::AlreadyClosed { year: fy });
                }
                let end = fy.end();
                let start = fy.start();
                // net per nominal account over the year
                let mut nets: BTreeMap<String, i128> = BTreeMap::new();
                for m in &self.entries {
                    if m.e.date < start || m.e.date > end {
                        continue;
                    }
                    for l in &m.e.lines {
                        if is_nominal(l.account.as_str()) {
                            let v = nets.entry(l.account.as_str().to_owned()).or_default();
                            match l.side {
                                Side::Debit => *v += l.amount.to_sen(),
                                Side::Credit => *v -= l.amount.to_sen(),
                            }
                        }
                    }
                }
                nets.retain(|_, v| *v != 0);
                let id = EntryId::from_u128(u128::from(*id));
                let mut closing = None;
                if !nets.is_empty() {
                    let mut e = JournalEntry::new(id, end, ACTOR)
                        .with_memo(format!("Jurnal penutup tahun buku {fy}"))
                        .with_source(format!("close:{fy}"));
                    let mut total = 0i128;
                    for (code, v) in nets {
                        total += v;
                        let side = if v > 0 { Side::Credit } else { Side::Debit };
                        e.lines.push(Line::new(
                            code.parse().unwrap(),
                            side,
                            Rupiah::try_from_sen_i128(v.abs()).unwrap(),
                        ));
                    }
                    if total != 0 {
                        let side = if total > 0 { Side::Debit } else { Side::Credit };
                        e.lines.push(Line::new(
                            kkmp::SHU_TAHUN_BERJALAN.parse().unwrap(),
                            side,
                            Rupiah::try_from_sen_i128(total.abs()).unwrap(),
                        ));
                    }
                    if let Some(i) = self.find(id) {
                        let m = &self.entries[i];
                        return Err(if m.kind == Kind::Closing && m.e == e {
                            Error::Exists { id }
                        } else {
                            Error::ExistsWithDifferent {
                                id,
                                field: EntryField::Kind,
                            }
                        });
                    }
                    closing = Some(id);
                    self.push(e, Kind::Closing);
                }
                self.closed.insert(*year, closing);
                self.records += 1;
                Ok(())
            }
            Op::Reopen { year, id } => {
                let fy = FiscalYear::calendar(*year).unwrap();
                let Some(closing) = self.closed.get(year).copied() else {
                    return Err(Error::NotClosed { year: fy });
                };
                let id = EntryId::from_u128(u128::from(*id));
                let mut rev = None;
                if let Some(c) = closing {
                    if self.find(id).is_some() {
                        return Err(Error::ExistsWithDifferent {
                            id,
                            field: EntryField::Kind,
                        });
                    }
                    rev = Some((self.reversal_of(c, id, fy.end(), "reopen").unwrap(), c));
                }
                self.closed.remove(year);
                self.records += 1;
                if let Some((e, c)) = rev {
                    self.push(e, Kind::Reversal(c));
                }
                Ok(())
            }
        }
    }
}

fn first_difference(a: &JournalEntry, b: &JournalEntry) -> EntryField {
    if a.date != b.date {
        EntryField::Date
    } else if a.memo != b.memo {
        EntryField::Memo
    } else if a.lines != b.lines {
        EntryField::Lines
    } else if a.source != b.source {
        EntryField::Source
    } else if a.actor != b.actor {
        EntryField::Actor
    } else {
        EntryField::Kind
    }
}

fn run(l: &mut Ledger, op: &Op) -> Result<(), Error> {
    let shu: koperasi_ledger::AccountCode = kkmp::SHU_TAHUN_BERJALAN.parse().unwrap();
    match op {
        Op::Post(id, t, di) => l.post(&make_entry(*id, *t, *di)).map(|_| ()),
        Op::Batch(specs) => {
            let es: Vec<_> = specs
                .iter()
                .map(|(i, t, d)| make_entry(*i, *t, *d))
                .collect();
            l.post_batch(&es).map(|_| ())
        }
        Op::Reverse { of, id, di } => l
            .reverse(
                EntryId::from_u128(u128::from(*of)),
                &Reversal::new(EntryId::from_u128(u128::from(*id)), date(*di), ACTOR, "r"),
            )
            .map(|_| ()),
        Op::Close { year, id } => l
            .close_year(YearClose::new(
                FiscalYear::calendar(*year).unwrap(),
                EntryId::from_u128(u128::from(*id)),
                shu,
                ACTOR,
            ))
            .map(|_| ()),
        Op::Reopen { year, id } => l.reopen_year(YearReopen::new(
            FiscalYear::calendar(*year).unwrap(),
            EntryId::from_u128(u128::from(*id)),
            ACTOR,
            "reopen",
        )),
    }
}

/// Same outcome: both Ok, or errors of the same variant (and, for batches, the same index
/// and inner variant; for `ExistsWithDifferent` on ordinary entries, the same field).
fn same_outcome(got: &Result<(), Error>, want: &Result<(), Error>) -> bool {
    match (got, want) {
        (Ok(()), Ok(())) => true,
        (
            Err(Error::Batch {
                index: a,
                source: x,
            }),
            Err(Error::Batch {
                index: b,
                source: y,
            }),
        ) => a == b && same_outcome(&Err((**x).clone()), &Err((**y).clone())),
        (Err(a), Err(b)) => discriminant(a) == discriminant(b),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prop_model_matches_reference(ops in proptest::collection::vec(op(), 1..32)) {
        let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        let mut m = Model::default();
        let mut prev = l.audit().tree_head();
        for (step, op) in ops.iter().enumerate() {
            let before = l.clone();
            let want = m.apply(op);
            let got = run(&mut l, op);
            prop_assert!(same_outcome(&got, &want), "step {step} {op:?}: ledger {got:?}, model {want:?}");
            if let (Err(Error::ExistsWithDifferent { field: a, .. }), Err(Error::ExistsWithDifferent { field: b, .. })) = (&got, &want)
                && matches!(op, Op::Post(..))
            {
                prop_assert_eq!(a, b);
            }
            if got.is_err() {
                prop_assert_eq!(&l, &before, "step {}: rejected op changed the ledger", step);
            }
            // balances per tracked account at every date of interest, and the trial balance
            for di in 0..DATES.len() {
                let as_of = date(di);
                for code in TRACKED {
                    let normal = l.chart().get(code).unwrap().normal_side();
                    let net = m.net(code, Some(as_of));
                    let want = if normal == Side::Debit { net } else { -net };
                    prop_assert_eq!(l.balance(code, as_of).unwrap().to_sen(), want, "{} at {}", code, as_of);
                }
                let tb = l.trial_balance(as_of).unwrap();
                prop_assert_eq!(tb.total_debit, tb.total_credit);
                let tb_sum: i128 = tb.rows.iter().map(|r| r.debit.to_sen()).sum();
                let model_sum: i128 = TRACKED.iter().map(|c| m.net(c, Some(as_of)).max(0)).sum();
                prop_assert_eq!(tb_sum, model_sum);
            }
            prop_assert_eq!(l.len(), m.entries.len());
            prop_assert_eq!(l.audit().len(), m.records);
            for y in [2025, 2026] {
                prop_assert_eq!(l.is_closed(FiscalYear::calendar(y).unwrap()), m.closed.contains_key(&y));
            }
            // the auditor: the log verifies and only grew
            l.verify().unwrap();
            let head = l.audit().tree_head();
            l.audit().consistency_proof(prev.size, head.size).unwrap().verify(&prev, &head).unwrap();
            prev = head;
        }
    }
}
