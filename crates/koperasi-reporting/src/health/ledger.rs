//! Extraction of the inputs a ledger on the standard KKMP chart knows.

use rust_decimal::Decimal;

use super::{HealthInputs, Precision};
#[cfg(doc)]
use super::{assess, perdep_06_2016};
#[cfg(doc)]
use crate::error::Error;
use crate::error::Result;

/// The inputs of [`perdep_06_2016`] that a ledger on the standard KKMP chart
/// (`ChartOfAccounts::standard_kkmp`) knows, as of the end of `year`: `total_aset`, `kas`,
/// `bank`, `kewajiban_lancar`, `simpanan_pokok`, `simpanan_wajib` (equity or liability
/// accounts), `modal_sendiri` (pokok + wajib + hibah + cadangan + SHU belum dibagi + 50 % of
/// modal penyertaan, domain.md §5.1), `pinjaman_diberikan` (loans to members and other
/// cooperatives), `pinjaman_anggota`, `cadangan_risiko` (the PPAP balance),
/// `shu_sebelum_pajak` (the PHU of `year`), `pendapatan` (non-member and other revenue of
/// `year`) and `partisipasi_bruto` (member revenue of `year`).
///
/// Merge the result with what the books cannot know (collectibility classes, questionnaires,
/// ATMR, …) before calling [`assess`]; the ratios then trace back to ledger balances.
///
/// # Errors
/// [`Error::Ledger`] if the chart lacks a standard account; [`Error::Core`] on overflow.
pub fn inputs_from_ledger(
    ledger: &koperasi_ledger::Ledger,
    year: koperasi_core::Period,
) -> Result<HealthInputs> {
    use koperasi_ledger::kkmp;
    let end = year.end();
    let bal = |code: &str| -> Result<Decimal> { Ok(ledger.balance(code, end)?.to_decimal()) };
    let sum = |codes: &[&str]| -> Result<Decimal> {
        let mut t = Decimal::ZERO;
        for c in codes {
            t = t
                .checked_add(bal(c)?)
                .ok_or(koperasi_core::Error::Overflow {
                    op: "health inputs",
                })?;
        }
        Ok(t)
    };
    let s = crate::statements::statements(
        ledger,
        year,
        None,
        &crate::statements::StatementPolicy::standard_kkmp(),
    )?;
    let phu = &s.income_statement;
    let pokok = sum(&[kkmp::SIMPANAN_POKOK, kkmp::SIMPANAN_POKOK_LIABILITAS])?;
    let wajib = sum(&[kkmp::SIMPANAN_WAJIB, kkmp::SIMPANAN_WAJIB_LIABILITAS])?;
    let half_penyertaan =
        Precision::TWO_HALF_UP.divide(bal(kkmp::MODAL_PENYERTAAN)?, Decimal::ONE, Decimal::TWO)?;
    let modal_sendiri = [
        pokok,
        wajib,
        sum(&[kkmp::HIBAH, kkmp::CADANGAN, kkmp::SHU_BELUM_DIBAGI])?,
        half_penyertaan,
    ]
    .iter()
    .try_fold(Decimal::ZERO, |a, x| a.checked_add(*x))
    .ok_or(koperasi_core::Error::Overflow {
        op: "health inputs",
    })?;
    // Revenue by the policy's member-revenue accounts (never by a section's position).
    let policy = crate::statements::StatementPolicy::standard_kkmp();
    let chart = ledger.chart();
    let (mut member, mut other) = (Decimal::ZERO, Decimal::ZERO);
    for l in phu.sections.iter().flat_map(|x| &x.lines) {
        for code in &l.accounts {
            if chart
                .get(code)
                .is_none_or(|a| a.class != koperasi_ledger::AccountClass::Revenue)
            {
                continue;
            }
            let is_member = policy
                .member_revenue
                .iter()
                .any(|p| code == p || chart.is_under(code, p));
            let slot = if is_member { &mut member } else { &mut other };
            *slot = slot.checked_add(l.amounts.current.to_decimal()).ok_or(
                koperasi_core::Error::Overflow {
                    op: "health inputs",
                },
            )?;
        }
    }
    let mut h = HealthInputs::default();
    h.set_input("total_aset", bal("1")?)
        .set_input("kas", bal(kkmp::KAS)?)
        .set_input("bank", bal(kkmp::BANK)?)
        .set_input("kewajiban_lancar", bal("2-1")?)
        .set_input("simpanan_pokok", pokok)
        .set_input("simpanan_wajib", wajib)
        .set_input("modal_sendiri", modal_sendiri)
        .set_input(
            "pinjaman_diberikan",
            sum(&[kkmp::PIUTANG_PINJAMAN, kkmp::PIUTANG_PINJAMAN_KOPERASI])?,
        )
        .set_input("pinjaman_anggota", bal(kkmp::PIUTANG_PINJAMAN)?)
        .set_input("cadangan_risiko", bal(kkmp::PPAP)?)
        .set_input("shu_sebelum_pajak", phu.shu_before_tax.current.to_decimal())
        .set_input("partisipasi_bruto", member)
        .set_input("pendapatan", other);
    Ok(h)
}

#[cfg(test)]
mod ledger_tests {
    use super::*;
    use crate::health::{assess, perdep_06_2016};
    use chrono::NaiveDate;
    use koperasi_core::{ActorId, EntryId, Period, Rupiah};
    use koperasi_ledger::{ChartOfAccounts, JournalEntry, Ledger, kkmp};

    #[test]
    fn ratios_from_a_ledger() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(1, 1));
        let rp = Rupiah::from_rupiah;
        let mut id = 0;
        let mut post = |dr: &str, cr: &str, amt| {
            id += 1;
            l.post(
                &JournalEntry::new(EntryId::from_u128(id), d(3, 1), ActorId::from_u128(1))
                    .debit(dr, amt)
                    .unwrap()
                    .credit(cr, amt)
                    .unwrap(),
            )
            .unwrap();
        };
        post(kkmp::KAS, kkmp::SIMPANAN_POKOK, rp(10_000_000));
        post(kkmp::KAS, kkmp::SIMPANAN_SUKARELA, rp(80_000_000));
        post(kkmp::PIUTANG_PINJAMAN, kkmp::KAS, rp(40_000_000));
        post(kkmp::KAS, &kkmp::member_revenue("01"), rp(6_000_000));
        let year = Period::new(d(1, 1), d(12, 31)).unwrap();
        let i = inputs_from_ledger(&l, year).unwrap();
        assert_eq!(i.inputs["total_aset"], Decimal::from(96_000_000));
        assert_eq!(i.inputs["kas"], Decimal::from(56_000_000));
        assert_eq!(i.inputs["kewajiban_lancar"], Decimal::from(80_000_000));
        assert_eq!(i.inputs["modal_sendiri"], Decimal::from(10_000_000));
        assert_eq!(i.inputs["shu_sebelum_pajak"], Decimal::from(6_000_000));
        // The cash ratio from the books: 56 jt / 80 jt = 70 % → nilai 25.
        let mut all = i.clone();
        for code in perdep_06_2016().indicator_codes() {
            if code != "rasio_kas" {
                all.set_ratio(code, Decimal::from(50));
            }
        }
        let a = assess(&perdep_06_2016(), &all).unwrap();
        let kas = a.component("rasio_kas").unwrap();
        assert_eq!(
            (kas.ratio, kas.nilai),
            (Decimal::from(70), Decimal::from(25))
        );
    }
}
