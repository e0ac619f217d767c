//! Property tests for DESIGN §5 invariants 1–5.
#![cfg(feature = "proptest")]

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, FiscalYear, Rupiah};
use koperasi_ledger::strategy::balanced_entry;
use koperasi_ledger::{
    AccountClass, ChartOfAccounts, Error, JournalEntry, Ledger, Line, Side, YearClose, kkmp,
};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Up to `n` balanced entries with ids 1.. and dates in 2025.
fn entries(n: usize) -> impl Strategy<Value = Vec<JournalEntry>> {
    proptest::collection::vec((1_u32..=12, 1_u32..=28), 1..=n).prop_flat_map(|dates| {
        dates
            .into_iter()
            .enumerate()
            .map(|(i, (m, day))| balanced_entry(EntryId::from_u128(i as u128 + 1), d(2025, m, day)))
            .collect::<Vec<_>>()
    })
}

fn books() -> Ledger {
    Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(2025, 1, 1))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Invariant 1: every posted entry balances, Σdebit = Σcredit > 0, every line positive.
    #[test]
    fn prop_posted_entries_balance(es in entries(20)) {
        let mut l = books();
        for e in &es {
            l.post(e).unwrap();
        }
        for e in l.entries() {
            let (mut dr, mut cr) = (0i128, 0i128);
            for line in e.lines() {
                prop_assert!(line.amount.is_positive());
                match line.side {
                    Side::Debit => dr += line.amount.to_sen(),
                    Side::Credit => cr += line.amount.to_sen(),
                }
            }
            prop_assert_eq!(dr, cr);
            prop_assert!(dr > 0);
        }
    }

    /// Invariant 2: the trial balance balances at every date, and assets = liabilities +
    /// equity + (income − expenses).
    #[test]
    fn prop_trial_balance_balances(es in entries(20), m in 1_u32..=12) {
        let mut l = books();
        for e in &es {
            l.post(e).unwrap();
        }
        for as_of in [d(2025, m, 1), d(2025, m, 28), d(2025, 12, 31)] {
            let tb = l.trial_balance(as_of).unwrap();
            prop_assert_eq!(tb.total_debit, tb.total_credit);
            let mut by_class = [0i128; 5];
            let chart = l.chart().clone();
            for (code, b) in l.balances(as_of).unwrap() {
                let a = chart.get(code.as_str()).unwrap();
                let i = match a.class {
                    AccountClass::Asset => 0,
                    AccountClass::Liability => 1,
                    AccountClass::Equity => 2,
                    AccountClass::Revenue => 3,
                    _ => 4,
                };
                // on the class's normal side (contra accounts count negative)
                by_class[i] += b.on_side(a.class.normal_side()).to_sen();
            }
            let [assets, liabilities, equity, income, expenses] = by_class;
            prop_assert_eq!(assets, liabilities + equity + (income - expenses));
            // header balances equal the sum of their leaves
            let leaves: i128 = ["1-1", "1-2"].iter().map(|h| l.balance(h, as_of).unwrap().to_sen()).sum();
            prop_assert_eq!(l.balance("1", as_of).unwrap().to_sen(), leaves);
        }
    }

    /// Invariant 2 (dimensions): per-dimension totals sum to the account total.
    #[test]
    fn prop_dimensions_sum_to_account(es in entries(20)) {
        let mut l = books();
        for e in &es {
            l.post(e).unwrap();
        }
        let end = d(2025, 12, 31);
        for code in ["1", "2", "3", "4", "5", "6", "7", "8"] {
            let total = l.totals(code, end).unwrap();
            let parts = l.balance_by_dimension(code, end).unwrap();
            let dr: i128 = parts.iter().map(|(_, b)| b.debit.to_sen()).sum();
            let cr: i128 = parts.iter().map(|(_, b)| b.credit.to_sen()).sum();
            prop_assert_eq!(dr, total.debit.to_sen());
            prop_assert_eq!(cr, total.credit.to_sen());
        }
    }

    /// Invariant 3: the log verifies after every post, and each new tree head is consistent
    /// with the previous one (the log only grew); every entry has a valid inclusion proof.
    #[test]
    fn prop_log_verifies_and_only_grows(es in entries(15)) {
        let mut l = books();
        let mut prev = l.audit().tree_head();
        for e in &es {
            l.post(e).unwrap();
            l.verify().unwrap();
            let head = l.audit().tree_head();
            prop_assert_eq!(head.size, prev.size + 1);
            let proof = l.audit().consistency_proof(prev.size, head.size).unwrap();
            proof.verify(&prev, &head).unwrap();
            l.verify_tree_head(&prev).unwrap();
            prev = head;
        }
        for e in l.entries() {
            let p = l.inclusion_proof(e.id()).unwrap();
            p.verify(&l.leaf_bytes(e.leaf()).unwrap(), &prev).unwrap();
        }
    }

    /// Invariant 4: a rejected operation changes nothing.
    #[test]
    fn prop_rejected_operations_change_nothing(
        es in entries(10),
        victim in any::<prop::sample::Index>(),
        bump in 1_i64..1000,
        kind in 0_u8..6,
    ) {
        let mut l = books();
        for e in &es {
            l.post(e).unwrap();
        }
        let before = l.clone();
        let mut bad = es[victim.index(es.len())].clone();
        let expect_exists = kind == 5;
        match kind {
            0 => {
                // unbalance one line (new id)
                bad.id = EntryId::from_u128(10_000);
                let a = bad.lines[0].amount.checked_add(Rupiah::from_sen(bump)).unwrap();
                bad.lines[0].amount = a;
            }
            1 => {
                bad.id = EntryId::from_u128(10_000);
                bad.lines[0].account = "9-9-99".parse().unwrap();
            }
            2 => {
                bad.id = EntryId::from_u128(10_000);
                bad.date = d(2024, 6, 1);
            }
            3 => {
                // same id, different content
                bad.memo.push('!');
            }
            4 => {
                // drain cash beyond zero
                bad = JournalEntry::new(EntryId::from_u128(10_001), d(2025, 12, 31), ActorId::from_u128(1))
                    .with_line(Line::debit(kkmp::BEBAN_LAIN, Rupiah::from_rupiah(1_000_000_000)).unwrap())
                    .with_line(Line::credit(kkmp::KAS, Rupiah::from_rupiah(1_000_000_000)).unwrap());
            }
            _ => {}
        }
        let r = l.post(&bad);
        prop_assert!(r.is_err());
        prop_assert_eq!(r.unwrap_err().is_exists(), expect_exists);
        prop_assert_eq!(&l, &before);
        // the same in a batch, after a good entry: all or nothing
        let good = JournalEntry::new(EntryId::from_u128(20_000), d(2025, 6, 1), ActorId::from_u128(1))
            .with_line(Line::debit(kkmp::BANK, Rupiah::ONE).unwrap())
            .with_line(Line::credit(kkmp::HIBAH, Rupiah::ONE).unwrap());
        let r = l.post_batch(&[good, bad]);
        if expect_exists {
            prop_assert!(r.is_ok());
        } else {
            let is_batch_error = matches!(r, Err(Error::Batch { index: 1, .. }));
            prop_assert!(is_batch_error);
            prop_assert_eq!(&l, &before);
        }
    }

    /// Invariant 5: closing moves income and expenses into SHU tahun berjalan; no posting
    /// into the closed year afterwards.
    #[test]
    fn prop_close_moves_result_to_shu(es in entries(20), late in entries(1)) {
        let mut l = books();
        for e in &es {
            l.post(e).unwrap();
        }
        let end = d(2025, 12, 31);
        let income = l.balance("4", end).unwrap().to_sen();
        let expenses: i128 = ["5", "6", "7", "8"].iter().map(|c| l.balance(c, end).unwrap().to_sen()).sum();
        let shu_before = l.balance(kkmp::SHU_TAHUN_BERJALAN, end).unwrap().to_sen();
        let fy = FiscalYear::calendar(2025).unwrap();
        l.close_year(YearClose::new(fy, EntryId::from_u128(9_999), kkmp::SHU_TAHUN_BERJALAN.parse().unwrap(), ActorId::from_u128(1))).unwrap();
        for c in ["4", "5", "6", "7", "8"] {
            prop_assert_eq!(l.balance(c, end).unwrap(), Rupiah::ZERO);
        }
        prop_assert_eq!(l.balance(kkmp::SHU_TAHUN_BERJALAN, end).unwrap().to_sen(), shu_before + income - expenses);
        let tb = l.trial_balance(end).unwrap();
        prop_assert_eq!(tb.total_debit, tb.total_credit);
        // the income statement still sees the year's activity
        let p = fy.period().unwrap();
        prop_assert_eq!(l.period_totals("4", p).unwrap().net_debit.negated().to_sen(), income);
        let mut e = late[0].clone();
        e.id = EntryId::from_u128(50_000);
        let before = l.clone();
        let is_closed_period = matches!(l.post(&e), Err(Error::ClosedPeriod { .. }));
        prop_assert!(is_closed_period);
        prop_assert_eq!(&l, &before);
        l.verify().unwrap();
    }
}

#[cfg(feature = "serde")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The JSON Lines journal round-trips exactly.
    #[test]
    fn prop_jsonl_round_trip(es in entries(15)) {
        let mut l = books();
        for e in &es {
            l.post(e).unwrap();
        }
        let text = l.to_jsonl().unwrap();
        let back = Ledger::from_jsonl(&text).unwrap();
        prop_assert_eq!(&back, &l);
        prop_assert_eq!(back.to_jsonl().unwrap(), text);
    }
}
