//! Proptest strategies for the crate's input types (feature `proptest`).

use chrono::NaiveDate;
use koperasi_core::Rupiah;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::city::{
    CooperativeSnapshot, HealthStatus, HimbaraStatus, LoansByCollectibility, SavingsByKind,
};
use crate::health::Predikat;

/// A non-negative amount up to Rp10 miliar, in sen.
pub fn amount() -> impl Strategy<Value = Rupiah> {
    (0_i64..=1_000_000_000_000).prop_map(Rupiah::from_sen)
}

/// A valid snapshot with the given code.
pub fn snapshot(code: String) -> impl Strategy<Value = CooperativeSnapshot> {
    (
        (0_u64..5_000, 0_u64..500),
        [amount(), amount(), amount(), amount()],
        [amount(), amount(), amount(), amount()],
        (amount(), amount(), amount(), amount(), amount()),
        (-1_000_000_000_i64..=1_000_000_000, amount()),
        (amount(), amount(), amount(), amount(), 0_u32..200, amount()),
        proptest::option::of((0_i64..=10_000, 0_usize..4)),
        (0_u32..60, proptest::option::of(0_u32..120)),
    )
        .prop_map(
            move |(
                (anggota, calon),
                s,
                l,
                (res, kas, kl, sm, snm),
                (shu, desa),
                h,
                health,
                (dl, held),
            )| {
                let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default();
                let deadline = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default();
                CooperativeSnapshot {
                    code: code.clone(),
                    name: format!("Koperasi Desa Merah Putih {code}"),
                    as_of,
                    anggota,
                    calon_anggota: calon,
                    savings: SavingsByKind {
                        pokok: s[0],
                        wajib: s[1],
                        sukarela: s[2],
                        berjangka: s[3],
                    },
                    loans: LoansByCollectibility {
                        lancar: l[0],
                        kurang_lancar: l[1],
                        diragukan: l[2],
                        macet: l[3],
                    },
                    loan_reserve: res,
                    kas_bank: kas,
                    kewajiban_lancar: kl,
                    sales_member: sm,
                    sales_non_member: snm,
                    shu: Rupiah::from_rupiah(shu),
                    shu_allocation: Vec::new(),
                    shu_desa: desa,
                    himbara: HimbaraStatus {
                        outstanding: h.0,
                        due: h.1,
                        paid: h.2,
                        late: h.3,
                        days_late: h.4,
                        intercepted: h.5,
                    },
                    rat_deadline: Some(deadline),
                    rat_held: held.map(|d| {
                        deadline
                            .checked_add_days(chrono::Days::new(u64::from(d)))
                            .and_then(|x| x.checked_sub_days(chrono::Days::new(u64::from(dl))))
                            .unwrap_or(deadline)
                    }),
                    health: health.map(|(score, p)| HealthStatus {
                        score: Decimal::new(score, 2),
                        predikat: Predikat::ALL.get(p).copied().unwrap_or(Predikat::Sehat),
                    }),
                    reported_on: None,
                }
            },
        )
}

/// 0..`max` snapshots with distinct codes.
pub fn snapshots(max: usize) -> impl Strategy<Value = Vec<CooperativeSnapshot>> {
    (0..=max).prop_flat_map(|n| {
        (0..n)
            .map(|i| snapshot(format!("KDMP-{i:03}")))
            .collect::<Vec<_>>()
    })
}
