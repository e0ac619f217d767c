//! # koperasi-ledger — double-entry books for a cooperative
//!
//! The heart of "every rupiah traceable" (*setiap rupiah dapat ditelusuri*): a chart of
//! accounts ([`ChartOfAccounts`], with the standard chart of a Koperasi Desa/Kelurahan Merah
//! Putih in [`ChartOfAccounts::standard_kkmp`]), a journal of validated, immutable entries
//! ([`Ledger`]), balances as of any date and per dimension (business unit, member/non-member,
//! member), the general ledger, the trial balance, year-end closing into *SHU tahun
//! berjalan*, and an append-only Merkle audit log ([`audit`], RFC 6962 style) with inclusion,
//! consistency and balance proofs and signed C2SP checkpoints.
//!
//! A pure library: no I/O, no clock, no global state. Ids are chosen by the caller.
//!
//! ## Guide
//!
//! ```
//! use chrono::NaiveDate;
//! use koperasi_core::{ActorId, EntryId, FiscalYear, MemberId, Rupiah};
//! use koperasi_ledger::{
//!     kkmp, BusinessUnit, ChartOfAccounts, Counterparty, Error, JournalEntry, Ledger, Line,
//!     Reversal, YearClose,
//! };
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! let bendahara = ActorId::from_u128(1);
//! let siti = MemberId::from_u128(7);
//! let mut books = Ledger::new(ChartOfAccounts::standard_kkmp()?, d(1, 1));
//!
//! // Siti pays simpanan pokok: the entry id is the caller's idempotency key.
//! let pokok = JournalEntry::new(EntryId::from_u128(1), d(1, 2), bendahara)
//!     .with_memo("Setoran simpanan pokok")
//!     .with_source("savings:siti/pokok")
//!     .with_line(Line::debit(kkmp::KAS, Rupiah::from_rupiah(100_000))?)
//!     .with_line(Line::credit(kkmp::SIMPANAN_POKOK, Rupiah::from_rupiah(100_000))?.member(siti));
//! books.post(&pokok)?;
//! // A retry posts nothing twice:
//! assert_eq!(books.post(&pokok), Err(Error::Exists { id: EntryId::from_u128(1) }));
//!
//! // A sale of sembako to Siti, with dimensions.
//! books.post(
//!     &JournalEntry::new(EntryId::from_u128(2), d(3, 5), bendahara)
//!         .with_source("sale:S-001")
//!         .with_line(Line::debit(kkmp::KAS, Rupiah::from_rupiah(75_000))?)
//!         .with_line(
//!             Line::credit(&kkmp::member_revenue("02"), Rupiah::from_rupiah(75_000))?
//!                 .unit(BusinessUnit::Sembako)
//!                 .counterparty(Counterparty::Member)
//!                 .member(siti),
//!         ),
//! )?;
//!
//! // Cash can never go below zero (a balance limit of the standard chart).
//! let too_much = JournalEntry::new(EntryId::from_u128(3), d(3, 6), bendahara)
//!     .debit(kkmp::BEBAN_GAJI, Rupiah::from_rupiah(1_000_000))?
//!     .credit(kkmp::KAS, Rupiah::from_rupiah(1_000_000))?;
//! assert!(matches!(books.post(&too_much), Err(Error::BalanceLimit { .. })));
//!
//! // Corrections are reversals; posted entries never change.
//! books.reverse(EntryId::from_u128(2), &Reversal::new(EntryId::from_u128(4), d(3, 7), bendahara, "salah harga"))?;
//! assert_eq!(books.balance(kkmp::KAS, d(12, 31))?, Rupiah::from_rupiah(100_000));
//!
//! let tb = books.trial_balance(d(12, 31))?;
//! assert_eq!(tb.total_debit, tb.total_credit);
//!
//! // Close the year into SHU tahun berjalan; then nothing more may be dated in it.
//! books.close_year(YearClose::new(
//!     FiscalYear::calendar(2025)?,
//!     EntryId::from_u128(5),
//!     kkmp::SHU_TAHUN_BERJALAN.parse()?,
//!     bendahara,
//! ))?;
//!
//! // The audit log: a checkpoint to hand to the city office, and verification.
//! let checkpoint = books.checkpoint("koperasi.example/kdmp-sukamaju")?;
//! books.verify()?;
//! books.verify_tree_head(&checkpoint.tree_head())?;
//! let proof = books.balance_proof(kkmp::KAS, checkpoint.size())?;
//! proof.verify_checkpoint(&checkpoint)?;
//! # Ok::<(), Error>(())
//! ```
//!
//! ## Reading the books (for reports)
//! * [`Ledger::chart`] — the chart; [`Ledger::entries`] — every entry in posting order as
//!   [`EntryRef`] views (id, date, memo, source, actor, [`EntryKind`], lines with
//!   dimensions); [`Ledger::entry`] by id.
//! * [`Ledger::balance`] (normal side) and [`Ledger::totals`] (debit, credit, net) as of a
//!   date, for a postable or a header account; [`Ledger::balances`] for every account;
//!   [`Ledger::period_totals`] — activity within a period **excluding closing entries** (the
//!   income statement of a closed year); [`Ledger::balance_by_dimension`] (parts sum to the
//!   account total).
//! * [`Ledger::trial_balance`], [`Ledger::general_ledger`] (buku besar with running
//!   balance), [`Ledger::entries_by_member`], [`Ledger::entries_by_source`],
//!   [`Ledger::entries_by_source_prefix`].
//!
//! ## Validation order
//! [`Ledger::post`] checks, in this order, and reports the first failure with its own
//! variant: too few lines ([`Error::TooFewLines`]), non-positive amount
//! ([`Error::NonPositiveAmount`]), unbalanced ([`Error::Unbalanced`]), unknown account
//! ([`Error::UnknownAccount`]), header account ([`Error::HeaderAccount`]), closed account
//! ([`Error::ClosedAccount`]), date in a closed year ([`Error::ClosedPeriod`]), date before
//! the opening date ([`Error::BeforeOpening`]), amount not a multiple of the ledger's unit
//! ([`Error::Precision`]), overflow ([`Error::Overflow`], [`Error::CapacityExceeded`]),
//! reused id ([`Error::Exists`] = idempotent success, or [`Error::ExistsWithDifferent`] with
//! the first differing [`EntryField`]), balance limit ([`Error::BalanceLimit`]). The id
//! check comes before the balance limit so that a retried withdrawal that emptied an account
//! reports `Exists`. [`Ledger::post_batch`] is all or nothing, later entries see earlier ones,
//! and identical duplicates are skipped.
//!
//! ## Standard chart of accounts (KKMP)
//! Stable codes; constants in [`kkmp`]. Unit numbering `01` simpan pinjam, `02` sembako,
//! `03` klinik, `04` apotek, `05` pergudangan/cold storage, `06` logistik, `07` kantor
//! koperasi: `4-1-nn` member revenue, `4-2-nn` non-member revenue, `5-1-nn` HPP of unit
//! `nn`. "limit ≥ 0 (debit)" = [`BalanceLimit::CreditsMustNotExceedDebits`], "limit ≥ 0
//! (credit)" = [`BalanceLimit::DebitsMustNotExceedCredits`].
//!
//! | code | name | class | notes |
//! |---|---|---|---|
//! | `1` | Aset | asset | header |
//! | `1-1` | Aset lancar | asset | header |
//! | `1-1-01` | Kas | asset | limit ≥ 0 (debit) |
//! | `1-1-02` | Bank | asset | limit ≥ 0 (debit) |
//! | `1-1-03` | Piutang pinjaman anggota | asset |  |
//! | `1-1-04` | Cadangan kerugian pinjaman (PPAP) | asset | contra |
//! | `1-1-05` | Piutang jasa pinjaman | asset |  |
//! | `1-1-06` | Persediaan barang | asset |  |
//! | `1-1-07` | Piutang usaha | asset |  |
//! | `1-1-08` | Biaya dibayar dimuka | asset |  |
//! | `1-1-09` | Piutang QRIS dari PJP | asset |  |
//! | `1-1-10` | Piutang pinjaman koperasi lain | asset |  |
//! | `1-2` | Aset tidak lancar | asset | header |
//! | `1-2-01` | Tanah | asset |  |
//! | `1-2-02` | Gedung dan gerai | asset |  |
//! | `1-2-03` | Gudang dan cold storage | asset |  |
//! | `1-2-04` | Kendaraan logistik | asset |  |
//! | `1-2-05` | Peralatan | asset |  |
//! | `1-2-06` | Akumulasi penyusutan | asset | contra |
//! | `1-2-07` | Penyertaan pada koperasi sekunder | asset |  |
//! | `2` | Liabilitas | liability | header |
//! | `2-1` | Liabilitas jangka pendek | liability | header |
//! | `2-1-01` | Simpanan sukarela | liability | limit ≥ 0 (credit) |
//! | `2-1-02` | Simpanan berjangka | liability | limit ≥ 0 (credit) |
//! | `2-1-03` | Utang usaha | liability |  |
//! | `2-1-04` | Utang jasa simpanan | liability |  |
//! | `2-1-05` | Dana pengurus | liability |  |
//! | `2-1-06` | Dana karyawan | liability |  |
//! | `2-1-07` | Dana pendidikan | liability |  |
//! | `2-1-08` | Dana sosial | liability |  |
//! | `2-1-09` | Dana pembangunan daerah kerja | liability |  |
//! | `2-1-10` | Utang SHU anggota | liability |  |
//! | `2-1-11` | Utang imbal jasa desa | liability |  |
//! | `2-1-12` | Pengembalian simpanan anggota keluar | liability |  |
//! | `2-1-13` | Utang pajak | liability |  |
//! | `2-1-14` | Utang biaya QRIS kepada PJP | liability |  |
//! | `2-1-15` | Bunga pinjaman Himbara yang masih harus dibayar | liability |  |
//! | `2-2` | Liabilitas jangka panjang | liability | header |
//! | `2-2-01` | Pinjaman bank Himbara | liability |  |
//! | `2-2-02` | Utang kepada desa/pemda (penempatan Dana Desa/DAU/DBH) | liability |  |
//! | `2-2-03` | Simpanan pokok (liabilitas) | liability | limit ≥ 0 (credit) |
//! | `2-2-04` | Simpanan wajib (liabilitas) | liability | limit ≥ 0 (credit) |
//! | `3` | Ekuitas | equity | header |
//! | `3-1` | Modal | equity | header |
//! | `3-1-01` | Simpanan pokok | equity | limit ≥ 0 (credit) |
//! | `3-1-02` | Simpanan wajib | equity | limit ≥ 0 (credit) |
//! | `3-1-03` | Modal penyertaan | equity |  |
//! | `3-1-04` | Hibah dan donasi | equity |  |
//! | `3-2` | Cadangan dan SHU | equity | header |
//! | `3-2-01` | Cadangan | equity |  |
//! | `3-2-02` | SHU tahun berjalan | equity |  |
//! | `3-2-03` | SHU belum dibagi | equity |  |
//! | `4` | Pendapatan | revenue | header |
//! | `4-1` | Pendapatan partisipasi anggota | revenue | header |
//! | `4-1-01` | Pendapatan jasa pinjaman anggota | revenue |  |
//! | `4-1-02` | Penjualan sembako kepada anggota | revenue |  |
//! | `4-1-03` | Pendapatan klinik dari anggota | revenue |  |
//! | `4-1-04` | Penjualan apotek kepada anggota | revenue |  |
//! | `4-1-05` | Pendapatan pergudangan dari anggota | revenue |  |
//! | `4-1-06` | Pendapatan logistik dari anggota | revenue |  |
//! | `4-1-07` | Pendapatan layanan kantor dari anggota | revenue |  |
//! | `4-2` | Pendapatan dari non-anggota | revenue | header |
//! | `4-2-01` | Pendapatan jasa pinjaman koperasi lain | revenue |  |
//! | `4-2-02` | Penjualan sembako kepada non-anggota | revenue |  |
//! | `4-2-03` | Pendapatan klinik dari non-anggota | revenue |  |
//! | `4-2-04` | Penjualan apotek kepada non-anggota | revenue |  |
//! | `4-2-05` | Pendapatan pergudangan dari non-anggota | revenue |  |
//! | `4-2-06` | Pendapatan logistik dari non-anggota | revenue |  |
//! | `4-2-07` | Pendapatan layanan kantor dari non-anggota | revenue |  |
//! | `4-3` | Pendapatan lain | revenue | header |
//! | `4-3-01` | Pendapatan denda | revenue |  |
//! | `4-3-02` | Pendapatan administrasi dan provisi | revenue |  |
//! | `4-3-03` | Pendapatan jasa giro dan bunga bank | revenue |  |
//! | `4-3-04` | Pendapatan lain-lain | revenue |  |
//! | `5` | Beban pokok pendapatan (HPP) | expense | header, HPP (`CostOfSales`) |
//! | `5-1` | Beban pokok per unit usaha | expense | header, HPP (`CostOfSales`) |
//! | `5-1-01` | Beban pokok simpan pinjam | expense | HPP (`CostOfSales`) |
//! | `5-1-02` | HPP sembako | expense | HPP (`CostOfSales`) |
//! | `5-1-03` | Beban pokok layanan klinik | expense | HPP (`CostOfSales`) |
//! | `5-1-04` | HPP apotek | expense | HPP (`CostOfSales`) |
//! | `5-1-05` | Beban pokok pergudangan | expense | HPP (`CostOfSales`) |
//! | `5-1-06` | Beban pokok logistik | expense | HPP (`CostOfSales`) |
//! | `5-1-07` | Beban pokok layanan kantor | expense | HPP (`CostOfSales`) |
//! | `6` | Beban usaha | expense | header |
//! | `6-1` | Beban operasional | expense | header |
//! | `6-1-01` | Beban gaji dan tunjangan | expense |  |
//! | `6-1-02` | Beban listrik, air dan telepon | expense |  |
//! | `6-1-03` | Beban penyusutan | expense |  |
//! | `6-1-04` | Beban penyisihan kerugian pinjaman | expense |  |
//! | `6-1-05` | Beban bunga pinjaman bank | expense |  |
//! | `6-1-06` | Beban administrasi dan umum | expense |  |
//! | `6-1-07` | Beban MDR QRIS | expense |  |
//! | `6-1-08` | Beban lain-lain | expense |  |
//! | `6-1-09` | Beban jasa simpanan anggota | expense |  |
//! | `7` | Beban perkoperasian | expense | header, beban perkoperasian (`CooperativeExpense`) |
//! | `7-1` | Beban perkoperasian | expense | header, beban perkoperasian (`CooperativeExpense`) |
//! | `7-1-01` | Beban rapat anggota tahunan (RAT) | expense | beban perkoperasian (`CooperativeExpense`) |
//! | `7-1-02` | Beban pendidikan anggota | expense | beban perkoperasian (`CooperativeExpense`) |
//! | `7-1-03` | Beban pengawasan | expense | beban perkoperasian (`CooperativeExpense`) |
//! | `7-1-04` | Beban rapat pengurus | expense | beban perkoperasian (`CooperativeExpense`) |
//! | `8` | Pajak penghasilan | expense | header, pajak (`IncomeTax`) |
//! | `8-1` | Pajak penghasilan | expense | header, pajak (`IncomeTax`) |
//! | `8-1-01` | Beban pajak penghasilan | expense | pajak (`IncomeTax`) |
//!
//! Simpanan pokok and wajib exist as equity (`3-1-01`, `3-1-02`) and as liabilities
//! (`2-2-03`, `2-2-04`): the embedder posts to the pair its SAK EP classification policy
//! chooses (domain notes §2.2).
//!
//! ## Canonical encoding (audit-log leaves, version 1)
//! Every posted entry and every year close/reopen is one leaf of the audit log, in posting
//! order; the leaf hash is `SHA-256(0x00 ‖ leaf)` and nodes `SHA-256(0x01 ‖ left ‖ right)`
//! (RFC 6962). Integers are big-endian; ids are the 16 UUID bytes in RFC 4122 order; a
//! *date* is `i32` year, `u8` month, `u8` day; a *fiscal year* is `i32` year and `u8` start
//! month; a *code* is `u8` length + ASCII bytes; a *text* is `u32` byte length + UTF-8
//! bytes; an *optional id* is `u8` 0 (absent) or `u8` 1 followed by the 16 bytes.
//!
//! Entry leaf:
//! 1. `u8` 0x01 (entry), `u8` 0x01 (version);
//! 2. entry id; date;
//! 3. `u8` kind: 0 ordinary; 1 reversal, followed by the reversed entry's id; 2 closing,
//!    followed by the fiscal year;
//! 4. actor id; memo (text); source (text);
//! 5. `u32` number of lines, then per line in entry order: account (code); `u8` side (0
//!    debit, 1 credit); amount in sen as `i128` (16 bytes, two's complement, positive);
//!    `u16` business unit ([`BusinessUnit::number`]: 0 none, 1–7 the standard units,
//!    `0x100 + n` for `Other(n)`); `u8` counterparty ([`Counterparty::number`]: 0 none,
//!    1 member, 2 non-member, 3 other cooperative); member (optional id).
//!
//! Close leaf: `u8` 0x02, `u8` 0x01, fiscal year, actor id, SHU account (code), closing
//! entry (optional id). Reopen leaf: `u8` 0x03, `u8` 0x01, fiscal year, actor id, reason
//! (text), reversal of the closing entry (optional id).
//!
//! [`Ledger::leaf_bytes`] returns these bytes for any leaf. Balance proofs commit to the
//! balances of every postable account at a tree size ([`Ledger::balance_tree`]): leaves are
//! [`audit::balance_leaf`] (code, net debit in sen as `i128`) in code order, and the tree's
//! root is the `balances <hex>` extension line of the checkpoint of that size.
//!
//! ## Journal files (JSON Lines, feature `serde`)
//! [`Ledger::to_jsonl`] / [`Ledger::from_jsonl`]: one JSON object per line, tagged by
//! `"type"` ([`jsonl::Record`]):
//! * line 1, `"chart"`: `format` (`"koperasi-ledger/1"`), `opening_date`,
//!   `fiscal_start_month`, `unit` (amount string) and `accounts` (code, name, class, kind,
//!   parent, contra, postable, open, limit);
//! * `"entry"`: `id`, `date`, `memo`, `lines` (`account`, `side` `"debit"`/`"credit"`,
//!   `amount` as an exact decimal string, optional `unit`, `counterparty`, `member`),
//!   `source`, `actor`, and `reverses` for a reversal;
//! * `"close"`: `year`, `start_month`, `entry_id`, `shu_account`, `actor` (the closing
//!   entry is re-created and must get that id); `"reopen"`: `year`, `start_month`,
//!   `reversal_id`, `actor`, `reason`;
//! * `"head"`: `size`, `root` — the audit log must have this root at this size when the
//!   line is read ([`Ledger::to_jsonl`] ends with one).
//!
//! Loading replays every record through the normal posting checks, so a file that fails
//! validation or verification is rejected with the 1-based line number
//! ([`Error::Journal`]) and nothing is partially loaded. Writing a loaded file gives the same
//! text. `Ledger` implements `Serialize`/`Deserialize` as the same list of records.
//!
//! ## Glossary
//!
//! | Indonesian | API |
//! |---|---|
//! | bagan akun, daftar akun, kode akun | [`ChartOfAccounts`], [`Account`], [`AccountCode`] |
//! | aset, liabilitas, ekuitas, pendapatan, beban | [`AccountClass`] |
//! | HPP, beban perkoperasian, pajak | [`AccountKind`] |
//! | akun kontra (PPAP, akumulasi penyusutan) | [`Account::contra`] |
//! | debet, kredit | [`Side`] |
//! | jurnal, jurnal umum | [`JournalEntry`], [`Line`] |
//! | jurnal pembalik | [`Ledger::reverse`], [`EntryKind::Reversal`] |
//! | jurnal penutup, tutup buku, buka kembali | [`Ledger::close_year`], [`EntryKind::Closing`], [`Ledger::reopen_year`] |
//! | unit usaha | [`BusinessUnit`] |
//! | anggota, non-anggota, koperasi lain | [`Counterparty`] |
//! | saldo, saldo normal | [`Ledger::balance`], [`Account::normal_side`] |
//! | neraca saldo | [`Ledger::trial_balance`], [`TrialBalance`] |
//! | buku besar | [`Ledger::general_ledger`], [`GeneralLedger`] |
//! | SHU tahun berjalan | [`kkmp::SHU_TAHUN_BERJALAN`] |
//! | jejak audit, bukti, titik periksa | [`audit`], [`Ledger::verify`], [`Ledger::checkpoint`], [`Ledger::balance_proof`] |
//!
//! ## Invariants (each has a named property test)
//! 1. Every posted entry balances, Σdebit = Σcredit > 0, no zero or negative line —
//!    `prop_posted_entries_balance`.
//! 2. The trial balance balances at every date; assets = liabilities + equity + (income −
//!    expenses) — `prop_trial_balance_balances`; dimension parts sum to the account —
//!    `prop_dimensions_sum_to_account`.
//! 3. Posted entries are immutable, the audit log verifies after every operation and only
//!    grows (consistency proofs) — `prop_log_verifies_and_only_grows`; any single-field
//!    change is detected — `verify::tests::every_single_field_mutation_of_a_stored_entry_is_detected`.
//! 4. A rejected operation changes nothing — `prop_rejected_operations_change_nothing`.
//! 5. No posting into a closed year; closing zeroes income and expenses into SHU —
//!    `prop_close_moves_result_to_shu`.
//!
//! A model-based test (`tests/model.rs`, `prop_model_matches_reference`) runs random
//! sequences of valid and invalid posts, batches, reversals, closes, reopens and duplicate
//! ids against a simple reference model and compares balances, trial balances, rejections
//! and the audit log after every step.
//!
//! ## Performance
//! Entries are stored compactly (accounts interned to `u32`, amounts as `i64` sen, lines
//! 24 bytes, memo and source in one text arena), with per-account running totals, a
//! `Vec` journal and a hash index by id. See `docs/performance.md` of the workspace.
//!
//! ## Panics
//! No function of this crate panics on any input: errors are returned as [`Error`]. The lints
//! `unwrap_used`, `expect_used`, `panic`, `indexing_slicing` and `arithmetic_side_effects` are
//! denied outside tests.
//!
//! ## Crate features
//! * `serde` — `Serialize`/`Deserialize` for every public data type (amounts as exact
//!   strings), the JSON Lines journal format ([`jsonl`]), serde for [`Ledger`].
//! * `proptest` — [`strategy`], proptest strategies for ledger types.
#![deny(missing_docs)]
#![warn(unreachable_pub)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::print_stdout,
        clippy::print_stderr
    )
)]

pub mod audit;
mod chart;
pub mod encoding;
mod entry;
mod error;
mod fx;
#[cfg(feature = "serde")]
pub mod jsonl;
pub mod kkmp;
mod ledger;
mod period;
mod query;
#[cfg(feature = "serde")]
pub mod snapshot;
#[cfg(any(test, feature = "proptest"))]
pub mod strategy;
mod verify;

pub use chart::{
    Account, AccountClass, AccountCode, AccountKind, BalanceLimit, ChartOfAccounts, Side,
};
pub use entry::{
    BusinessUnit, Counterparty, Dimensions, EntryKind, JournalEntry, Line, PostedEntry,
};
pub use error::{CodeErrorKind, EntryField, Error, Result};
pub use ledger::{
    Balance, GeneralLedger, GeneralLedgerRow, Ledger, LedgerOptions, PeriodEvent, Reversal,
    TrialBalance, TrialBalanceRow, YearClose, YearReopen,
};
pub use query::{EntryRef, LineRef};
