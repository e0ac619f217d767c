//! The invariants of projections, each a named property (listed in the crate docs and in
//! docs/invariants.md).

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, FiscalYear};
use koperasi_planning::rapb::rapb;
use koperasi_planning::strategy;
use koperasi_planning::{Financing, Prepared, Scenario};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Assets = liabilities + equity at the end of every month.
    #[test]
    fn prop_balance_sheet_balances(plan in strategy::plan()) {
        let p = Prepared::new(&plan).unwrap().project(&Scenario::base()).unwrap();
        for m in &p.months {
            let assets = m.cash_balance.to_sen() + m.receivables.to_sen() + m.inventory.to_sen()
                + m.fixed_assets.to_sen();
            let le = m.payables.to_sen() + m.loan_balance.to_sen() + m.paid_in_capital.to_sen()
                + m.retained_earnings.to_sen();
            prop_assert_eq!(assets, le, "month {}", m.month);
            prop_assert_eq!(m.total_assets, m.total_liabilities_and_equity);
        }
    }

    /// The change in cash equals the cash flow, and the cash flow computed indirectly (net
    /// income + depreciation + capitalised interest − working capital − principal) equals it;
    /// the direct form (operating cash − initial working capital − debt service) too.
    #[test]
    fn prop_cash_flow_reconciles(plan in strategy::plan()) {
        let p = Prepared::new(&plan).unwrap().project(&Scenario::base()).unwrap();
        let o = &p.opening;
        prop_assert_eq!(
            o.cash.to_sen(),
            o.paid_in_capital.to_sen() + o.loan.to_sen() - o.capex_on_books.to_sen()
        );
        let mut prev = o.cash.to_sen();
        for m in &p.months {
            prop_assert_eq!(m.cash_balance.to_sen() - prev, m.net_cash_flow.to_sen());
            let capitalised = m.interest.to_sen() - m.interest_paid.to_sen();
            let indirect = m.net_income.to_sen() + m.depreciation.to_sen() + capitalised
                - m.working_capital_change.to_sen() - m.principal_paid.to_sen();
            prop_assert_eq!(indirect, m.net_cash_flow.to_sen(), "month {}", m.month);
            let direct = m.operating_cash.to_sen() - m.initial_working_capital.to_sen()
                - m.debt_service.to_sen();
            prop_assert_eq!(direct, m.net_cash_flow.to_sen());
            prev = m.cash_balance.to_sen();
        }
    }

    /// More revenue never lowers a month's DSCR (plans without working capital: with
    /// receivables and inventory, growing sales tie up cash in the month they grow, which can
    /// lower that month's DSCR — a real effect, not a defect).
    #[test]
    fn prop_more_revenue_never_lowers_dscr(plan in strategy::plan(), extra in 1_i64..=50) {
        let mut plan = plan;
        for u in &mut plan.units {
            *u = u.clone().with_working_capital(Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        }
        let prepared = Prepared::new(&plan).unwrap();
        let base = prepared.project(&Scenario::base()).unwrap();
        let more = prepared
            .project(&Scenario::new("more", Decimal::from(extra), Decimal::ZERO, 0))
            .unwrap();
        for (b, m) in base.months.iter().zip(&more.months) {
            if let (Some(db), Some(dm)) = (b.dscr, m.dscr) {
                prop_assert!(dm >= db, "month {}: {} < {}", b.month, dm, db);
            }
        }
    }

    /// A plan with zero financing has zero debt service (and no loan).
    #[test]
    fn prop_no_financing_no_debt_service(plan in strategy::plan()) {
        let plan = plan.with_financing(Financing::none());
        let p = Prepared::new(&plan).unwrap().project(&Scenario::base()).unwrap();
        prop_assert!(p.opening.loan.is_zero());
        for m in &p.months {
            prop_assert!(m.debt_service.is_zero());
            prop_assert!(m.interest.is_zero());
            prop_assert!(m.loan_balance.is_zero());
            prop_assert_eq!(m.dscr, None);
        }
    }

    /// Depreciation never exceeds the capex on the books and adds up to it exactly once the
    /// useful life has run inside the plan.
    #[test]
    fn prop_depreciation_sums_to_capex(plan in strategy::plan()) {
        let p = Prepared::new(&plan).unwrap().project(&Scenario::base()).unwrap();
        for (u, plan_u) in p.units.iter().zip(&plan.units) {
            let dep: i128 = u.months.iter().map(|m| m.depreciation.to_sen()).sum();
            prop_assert!(dep <= u.capex_on_books.to_sen());
            if plan_u.start_month + plan_u.useful_life_months - 1 <= plan.months {
                prop_assert_eq!(dep, u.capex_on_books.to_sen());
            }
        }
    }

    /// The RAPBs of the fiscal years covering the plan add up to the plan.
    #[test]
    fn prop_rapb_years_sum_to_plan(plan in strategy::plan()) {
        let p = Prepared::new(&plan).unwrap().project(&Scenario::base()).unwrap();
        let first = p.months.first().unwrap().period;
        let last = p.months.last().unwrap().period;
        let (mut revenue, mut shu) = (0_i128, 0_i128);
        let mut y = FiscalYear::calendar(koperasi_core::chrono::Datelike::year(&first)).unwrap();
        while y.start() <= last {
            let r = rapb(&p, y).unwrap();
            revenue += r.revenue.to_sen();
            shu += r.shu.to_sen();
            y = y.next().unwrap();
        }
        prop_assert_eq!(revenue, p.months.iter().map(|m| m.revenue.to_sen()).sum::<i128>());
        prop_assert_eq!(shu, p.months.iter().map(|m| m.net_income.to_sen()).sum::<i128>());
        let _ = NaiveDate::MIN;
    }
}
