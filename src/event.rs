//! Operations and the event log.
//!
//! Every change to a [`Koperasi`](crate::Koperasi) book is an [`Event`]: who ([`ActorId`]),
//! when (the accounting date) and what ([`Operation`]). The book records each event it
//! applied successfully; replaying the events on a fresh book opened with the same
//! [`BookConfig`](crate::BookConfig) rebuilds an identical book — the same balances, the same
//! audit root. With the `serde` feature (on by default) the log is saved and loaded as JSON
//! Lines ([`to_json_lines`](crate::Koperasi::to_json_lines),
//! [`from_json_lines`](crate::Koperasi::from_json_lines)): the seam where an embedder plugs in
//! persistence.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, Decimal, EntryId, LoanId, MemberId, Rupiah, SavingsAccountId};
use koperasi_ledger::{BusinessUnit, Side};
use koperasi_membership::{Gender, Role, VillageCode};
use koperasi_savings_loans::{LoanTerms, SavingsKind};

/// Where money comes from or goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Via {
    /// Kas (cash on hand).
    #[default]
    Cash,
    /// The cooperative's bank account.
    Bank,
}

/// How a purchase of goods is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PurchasePayment {
    /// Paid now, in cash or from the bank.
    Paid(Via),
    /// On credit (utang usaha).
    OnCredit,
}

/// Who buys in a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Buyer {
    /// An anggota (partisipasi anggota; counts for jasa usaha).
    Member(MemberId),
    /// Anyone else (pendapatan dari non-anggota).
    NonMember,
}

/// What is sold: goods from stock (with HPP), or a service (no stock).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Item {
    /// `quantity` of the stock item `sku` of the unit.
    Goods {
        /// The stock item.
        sku: String,
        /// How many.
        quantity: u64,
    },
    /// A service (klinik, pergudangan, logistik, layanan kantor).
    Service,
}

/// Where a member's SHU goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ShuPayout {
    /// To *utang SHU anggota* (paid out later).
    #[default]
    Payable,
    /// Credited to the member's simpanan sukarela (payable if the account is closed).
    Voluntary,
}

/// Equity received from outside the members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CapitalKind {
    /// Hibah / donasi.
    Grant,
    /// Modal penyertaan.
    Participation,
}

/// One operation on the book. Each is validated, permission-checked, computed by the domain
/// crates and posted atomically; see [`Koperasi::apply`](crate::Koperasi::apply).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "op", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Operation {
    /// Give `grantee` a role (needs `ManageAccess`). A privileged role (one that can post,
    /// approve, disburse, close, reopen, reverse, run the SHU or manage access) is a request
    /// completed by a second person holding `ManageGovernance` with [`Operation::Approve`].
    GrantRole {
        /// Who receives the role.
        grantee: ActorId,
        /// The role.
        role: Role,
    },
    /// Register a calon anggota (needs `ManageMembers`). No money moves.
    #[doc(alias = "pendaftaran calon anggota")]
    RegisterMember {
        /// The id the caller minted.
        member: MemberId,
        /// The NIK from the KTP.
        nik: String,
        /// Full name.
        name: String,
        /// Birth date as on the KTP.
        birth_date: NaiveDate,
        /// Domicile (desa/kelurahan code) from the KTP or the letter of domicile; `None`: the
        /// cooperative's own village. Checked against the configured eligibility.
        #[cfg_attr(feature = "serde", serde(default))]
        domicile: Option<VillageCode>,
        /// Gender on the KTP, cross-checked with the NIK (a mismatch is a warning in
        /// [`Applied::warnings`](crate::Applied::warnings), not an error).
        #[cfg_attr(feature = "serde", serde(default))]
        gender: Option<Gender>,
        /// Anggota luar biasa (AD, Pasal 18(2)): admitted on simpanan pokok with the rights
        /// the AD gives; exempt from the domicile rule when the rules say so.
        #[doc(alias = "anggota luar biasa")]
        #[cfg_attr(feature = "serde", serde(default))]
        associate: bool,
    },
    /// Pay simpanan pokok: the calon anggota becomes anggota; the member's pokok, wajib and
    /// sukarela accounts are opened (needs `RecordSavings`).
    #[doc(alias = "setoran simpanan pokok")]
    PayPrincipalSavings {
        /// The member.
        member: MemberId,
        /// Cash or bank.
        via: Via,
    },
    /// Deposit simpanan wajib or sukarela (needs `RecordSavings`).
    #[doc(alias = "setoran simpanan")]
    Deposit {
        /// The member.
        member: MemberId,
        /// `Mandatory` or `Voluntary`.
        kind: SavingsKind,
        /// The amount.
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Withdraw simpanan sukarela (needs `RecordSavings`).
    #[doc(alias = "penarikan simpanan")]
    Withdraw {
        /// The member.
        member: MemberId,
        /// The amount.
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Open a simpanan berjangka (needs `RecordSavings`).
    #[doc(alias = "simpanan berjangka")]
    OpenTimeDeposit {
        /// The new account's id.
        account: SavingsAccountId,
        /// The member.
        member: MemberId,
        /// The amount.
        amount: Rupiah,
        /// The term.
        term_months: u32,
        /// Interest, percent per year.
        annual_percent: Decimal,
        /// Cash or bank.
        via: Via,
    },
    /// Pay out a simpanan berjangka, at maturity or early (needs `RecordSavings`).
    WithdrawTimeDeposit {
        /// The account.
        account: SavingsAccountId,
        /// Cash or bank.
        via: Via,
    },
    /// A loan application (needs `PostEntry`). No money moves.
    #[doc(alias = "pengajuan pinjaman")]
    ApplyLoan {
        /// The id the caller minted.
        loan: LoanId,
        /// The borrower.
        member: MemberId,
        /// The terms (the disbursement date is replaced by the disbursement's date).
        terms: LoanTerms,
    },
    /// Approve an application (needs `ApproveLoan`). Above the configured limit
    /// ([`MakerCheckerRules::loan_approval_limit`](koperasi_membership::MakerCheckerRules))
    /// the actor only makes a request: a second person completes it with
    /// [`Operation::Approve`].
    #[doc(alias = "persetujuan pinjaman")]
    ApproveLoan {
        /// The loan.
        loan: LoanId,
    },
    /// Disburse an approved loan, charging the configured fees (needs `DisburseLoan`).
    #[doc(alias = "pencairan pinjaman")]
    DisburseLoan {
        /// The loan.
        loan: LoanId,
        /// Cash or bank.
        via: Via,
    },
    /// A repayment (needs `PostEntry`): penalties due are charged first, then the payment is
    /// allocated by the loan's order (default penalty → interest → principal).
    #[doc(alias = "angsuran")]
    RepayLoan {
        /// The loan.
        loan: LoanId,
        /// The amount (at most the payoff amount).
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Charge late penalties due on a loan up to the date (needs `PostEntry`).
    #[doc(alias = "denda")]
    ChargePenalties {
        /// The loan.
        loan: LoanId,
    },
    /// Write a loan off against the reserve (needs `ApproveLoan`; always a request completed
    /// by a second person with [`Operation::Approve`]).
    #[doc(alias = "hapus buku")]
    WriteOffLoan {
        /// The loan.
        loan: LoanId,
    },
    /// Money received on a written-off loan (needs `PostEntry`).
    #[doc(alias = "penagihan kembali")]
    RecoverLoan {
        /// The loan.
        loan: LoanId,
        /// The amount (at most what remains written off).
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Buy goods into a unit's stock (needs `PostEntry`).
    #[doc(alias = "pembelian")]
    Purchase {
        /// The unit.
        unit: BusinessUnit,
        /// The stock item.
        sku: String,
        /// How many.
        quantity: u64,
        /// Total cost.
        cost: Rupiah,
        /// Paid now or on credit.
        payment: PurchasePayment,
    },
    /// Pay suppliers (utang usaha) (needs `PostEntry`).
    PaySupplier {
        /// The amount.
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Sell goods or a service, paid now (needs `PostEntry`).
    #[doc(alias = "penjualan")]
    Sale {
        /// The unit.
        unit: BusinessUnit,
        /// What is sold.
        item: Item,
        /// The price (total).
        price: Rupiah,
        /// Member or non-member.
        buyer: Buyer,
        /// Cash or bank.
        via: Via,
    },
    /// A sale paid by QRIS: the dynamic payload gives the amount and the reference; booked to
    /// the receivable from the payment provider (needs `PostEntry`).
    QrisSale {
        /// The unit.
        unit: BusinessUnit,
        /// What is sold.
        item: Item,
        /// Member or non-member.
        buyer: Buyer,
        /// The dynamic QRIS payload shown to the customer.
        payload: String,
    },
    /// The payment provider settles QRIS sales to the bank, less its fee (MDR) (needs
    /// `PostEntry`).
    SettleQris {
        /// The sales' references.
        references: Vec<String>,
        /// The provider's fee.
        fee: Rupiah,
    },
    /// An operating expense (needs `PostEntry`).
    #[doc(alias = "beban")]
    Expense {
        /// An open expense account of the chart (e.g. `6-1-01` beban gaji).
        account: String,
        /// The amount.
        amount: Rupiah,
        /// The unit, if the expense belongs to one.
        unit: Option<BusinessUnit>,
        /// Cash or bank.
        via: Via,
        /// What it is (memo).
        memo: String,
    },
    /// Move money between kas and the bank (setoran / penarikan bank) (needs `PostEntry`).
    Transfer {
        /// From.
        from: Via,
        /// To (must differ).
        to: Via,
        /// The amount.
        amount: Rupiah,
    },
    /// Buy a non-current asset (gerai, cold storage, kendaraan, peralatan) (needs
    /// `PostEntry`).
    #[doc(alias = "pembelian aset tetap")]
    AcquireAsset {
        /// An open non-current asset account of the chart (e.g. `1-2-03` gudang dan cold
        /// storage).
        account: String,
        /// The cost.
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
        /// What it is (memo).
        memo: String,
    },
    /// Hibah or modal penyertaan received (needs `PostEntry`).
    Capital {
        /// Which.
        kind: CapitalKind,
        /// The amount.
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Draw the Himbara loan (PMK 49/2025) into the bank (needs `ApproveLoan`).
    #[doc(alias = "pinjaman Himbara")]
    HimbaraDrawdown {
        /// Plafon.
        principal: Rupiah,
        /// Of which for operating expenses (≤ Rp500 juta).
        operational: Rupiah,
        /// Tenor in months (≤ 72, grace included).
        tenor_months: u32,
        /// Grace on principal (6–8 months).
        grace_months: u32,
    },
    /// Pay a Himbara installment from the bank (needs `PostEntry`): its interest, penalty
    /// and fee are expensed in full; the next month-end settles what an earlier one accrued.
    HimbaraInstallment {
        /// The amount (at most the payoff amount).
        amount: Rupiah,
    },
    /// Month-end on the month's last day (needs `ClosePeriod`): savings interest, late
    /// penalties, loan interest accrual (the previous one reversed), collectibility and the
    /// loss reserve (PPAP), time-deposit interest accrual, depreciation, amortisation of
    /// prepaid expenses, and (event format 5 on) the interest incurred on the Himbara loan
    /// and not yet paid (bunga pinjaman Himbara yang masih harus dibayar).
    #[doc(alias = "tutup bulan")]
    MonthEnd,
    /// A member leaves at their own request (needs `ManageMembers`) — a calon anggota, an
    /// anggota or an anggota luar biasa: savings set off against loans, the rest owed as a
    /// refund.
    #[doc(alias = "anggota keluar")]
    MemberExit {
        /// The member.
        member: MemberId,
        /// Why (recorded in the registry).
        reason: String,
    },
    /// The pengurus dismiss a member (pemberhentian; needs `ManageMembers`): settled as an
    /// exit — savings set off against loans, the rest owed as a refund.
    #[doc(alias = "pemberhentian")]
    #[doc(alias = "diberhentikan")]
    DismissMember {
        /// The member (calon anggota, anggota or anggota luar biasa).
        member: MemberId,
        /// Why (required; recorded in the registry).
        reason: String,
    },
    /// A member has died (needs `ManageMembers`): savings set off against loans, the rest owed
    /// to the heirs (utang kepada ahli waris, paid out later).
    #[doc(alias = "meninggal dunia")]
    #[doc(alias = "ahli waris")]
    MemberDeath {
        /// The member.
        member: MemberId,
        /// What is recorded (e.g. the death certificate's number and date).
        reason: String,
        /// The heirs as named in the letter of inheritance (surat keterangan ahli waris).
        heirs: String,
    },
    /// Close a fiscal year (needs `ClosePeriod`).
    #[doc(alias = "tutup buku")]
    CloseYear {
        /// The fiscal year (named by the calendar year it starts in).
        year: i32,
    },
    /// Distribute a closed year's SHU (needs `RunShu`).
    #[doc(alias = "pembagian SHU")]
    DistributeShu {
        /// The closed fiscal year.
        year: i32,
        /// Payable or credited to sukarela.
        payout: ShuPayout,
    },
    /// Buy a fixed asset into the asset register (needs `PostEntry`): depreciated straight
    /// line from the month of acquisition by every [`Operation::MonthEnd`].
    #[doc(alias = "pembelian aset tetap")]
    AcquireFixedAsset {
        /// The asset's tag in the register (nomor inventaris), unique.
        asset: String,
        /// An open non-current asset account of the chart (e.g. `1-2-02` gedung).
        account: String,
        /// The cost (harga perolehan).
        cost: Rupiah,
        /// Useful life in months (umur ekonomis); 0: not depreciated (land).
        useful_life_months: u32,
        /// Residual value (nilai residu), at most the cost.
        residual: Rupiah,
        /// Paid now or on credit (utang usaha).
        payment: PurchasePayment,
        /// What it is (memo).
        memo: String,
    },
    /// Sell or scrap a registered fixed asset (needs `PostEntry`): depreciation up to the
    /// previous month, then the gain or loss against the book value.
    #[doc(alias = "pelepasan aset tetap")]
    DisposeAsset {
        /// The asset's tag.
        asset: String,
        /// What is received (zero when scrapped).
        proceeds: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// An operating expense on credit: owed to the supplier (utang usaha) (needs
    /// `PostEntry`).
    #[doc(alias = "beban terutang")]
    ExpenseOnCredit {
        /// An open expense account of the chart.
        account: String,
        /// The amount.
        amount: Rupiah,
        /// The unit, if the expense belongs to one.
        unit: Option<BusinessUnit>,
        /// What it is (memo).
        memo: String,
    },
    /// An expense paid in advance for `months` months (biaya dibayar dimuka), amortised into
    /// `account` by each [`Operation::MonthEnd`] from this month on (needs `PostEntry`).
    #[doc(alias = "biaya dibayar dimuka")]
    PrepayExpense {
        /// The open expense account it is amortised into (e.g. sewa).
        account: String,
        /// The amount paid.
        amount: Rupiah,
        /// Months covered (≥ 1).
        months: u32,
        /// The unit, if the expense belongs to one.
        unit: Option<BusinessUnit>,
        /// Cash or bank.
        via: Via,
        /// What it is (memo).
        memo: String,
    },
    /// A stock count (stock opname) of one item (needs `PostEntry`): the difference to the
    /// book quantity is posted at average cost against HPP.
    #[doc(alias = "stock opname")]
    StockCount {
        /// The unit.
        unit: BusinessUnit,
        /// The stock item.
        sku: String,
        /// The quantity counted.
        counted: u64,
    },
    /// Pledge collateral (agunan) for a loan application or a disbursed loan (needs
    /// `PostEntry`); its value counts in the collectibility class and the PPAP.
    #[doc(alias = "agunan")]
    PledgeCollateral {
        /// The loan (application or disbursed).
        loan: LoanId,
        /// The collateral.
        collateral: crate::book::Collateral,
    },
    /// The pengurus' assessment of a loan for its collectibility (needs `ApproveLoan`): not
    /// salvageable, or handed to court / an insurance claim filed (Macet).
    #[doc(alias = "penilaian pinjaman")]
    AssessLoan {
        /// The loan.
        loan: LoanId,
        /// Salvageable (dapat diselamatkan).
        salvageable: bool,
        /// Handed to court or an insurance claim filed.
        legal_or_insurance: bool,
    },
    /// A documented decision to write off a loan that is not Macet (needs `ApproveLoan`).
    #[doc(alias = "persetujuan hapus buku")]
    WriteOffOverride {
        /// The loan.
        loan: LoanId,
        /// Why (recorded; required).
        reason: String,
    },
    /// Pay out (part of) a payable the book holds (needs `PostEntry`), never beyond what is
    /// owed: a member's SHU (cash, bank or into sukarela), an exit refund, the desa share,
    /// tax, suppliers.
    #[doc(alias = "pembayaran utang")]
    PayPayable {
        /// What is paid.
        payable: crate::book::Payable,
        /// The amount.
        amount: Rupiah,
        /// Cash, bank or the member's sukarela.
        route: crate::book::PayoutRoute,
    },
    /// Link an officer's actor id to the member they are (needs `ManageAccess`), so that the
    /// two-person rule sees two ids of one person as one person.
    LinkMember {
        /// The officer's actor id (named `officer`: an event's own `actor` is the one who
        /// links).
        officer: ActorId,
        /// The member (must be registered).
        member: MemberId,
    },
    /// The second act of the two-person rule: the checker (the event's actor) completes a
    /// pending request. The checker must hold the request's permission, must not be the
    /// maker and must not be linked to the same member; the request must not have expired.
    /// The requested operation is then applied on this event's date — its entries carry the
    /// maker as actor; the request records the checker.
    #[doc(alias = "persetujuan")]
    Approve {
        /// The request.
        request: RequestId,
    },
    /// The checker refuses a pending request (same conditions as [`Operation::Approve`]);
    /// nothing is posted.
    #[doc(alias = "penolakan")]
    Reject {
        /// The request.
        request: RequestId,
        /// Why (required).
        reason: String,
    },
    /// The maker withdraws (cancels) his own pending request before a checker decides it:
    /// only the request's maker, by the same actor id, may do it; nothing is posted and the
    /// request can no longer be approved or rejected. (Named `WithdrawRequest`: a savings
    /// withdrawal is [`Operation::Withdraw`].)
    #[doc(alias = "pembatalan permohonan")]
    #[doc(alias = "penarikan permohonan")]
    WithdrawRequest {
        /// The request.
        request: RequestId,
    },
    /// A correction: reverse one journal entry, or everything an earlier operation posted
    /// with its subledgers following (needs `ReverseEntry`; a request completed by a second
    /// person when the maker-checker rules say so). The reversing entry is dated on this
    /// event's date and linked to the original, which stays.
    ///
    /// Reversible operations: deposits and withdrawals (sukarela, wajib, berjangka),
    /// disbursements, repayments, penalties, write-offs and recoveries, purchases, payments to
    /// suppliers, sales, expenses, transfers, asset purchases, capital, adjusting entries,
    /// prepaid expenses (the schedule is removed), asset disposals (both entries; the asset is back in the register), pledges of
    /// collateral (released), loan assessments and write-off overrides (withdrawn; an override
    /// a write-off relied on stays on file) — each only while no later operation changed the
    /// same loan, account, time deposit, stock item, asset, collateral or member's jasa usaha
    /// basis (reverse the later one first), only while its year is open, and never when its
    /// payable has already been paid. Once a month-end has posted for the object in a way the
    /// next month-end does not true up by itself — amortised the prepaid expense, depreciated
    /// the asset, charged penalties on or reclassified the loan, accrued interest on a loan or
    /// time deposit this reversal would remove — the operation is refused here and corrected
    /// with [`Operation::CorrectAfterMonthEnd`] (a month-end's interest accrual on a loan or
    /// time deposit that stays is trued up by the next month-end, so such a reversal is
    /// allowed). A register-only reversal posts nothing;
    /// the loan's class and PPAP follow at the next month-end. Refused with
    /// [`Error::NotReversible`](crate::Error::NotReversible): registration, simpanan pokok and
    /// departures (registry facts), QRIS sales and settlements (the provider holds the other
    /// side), the Himbara loan (the bank's schedule), month-end, close and SHU (recomputed;
    /// reopen the year or post an adjusting entry), requests and reversals themselves. A single
    /// entry is reversed only if it touches no control account and no member.
    #[doc(alias = "koreksi")]
    #[doc(alias = "jurnal pembalik")]
    Reverse {
        /// What to reverse.
        target: ReversalTarget,
        /// Why (required; becomes the memo).
        reason: String,
    },
    /// A correction after a month-end (koreksi setelah tutup bulan): reverse an earlier
    /// operation together with what the month-ends since have posted for the object it
    /// created or changed — a prepaid expense's amortisation, an asset's depreciation, a
    /// loan's penalties and interest accrual, a time deposit's interest accrual, the interest
    /// paid on a sukarela account — as one all-or-nothing act (needs `ReverseEntry`; always a request completed by a second
    /// person with [`Operation::Approve`], because it rewrites month-end results).
    ///
    /// For each month-end that posted for the object, an entry reverses exactly that
    /// month-end's lines for it (its share of an entry that mixes several objects), dated on
    /// this event's date with source `correction:event-<event>/month-end:<date>`; then the
    /// operation's own entries are reversed as by [`Operation::Reverse`], its subledger
    /// objects and registers are put back as they were before it (an asset leaves the
    /// register, a prepayment's schedule is removed, a loan or time deposit returns to its
    /// earlier state and its accrual to the amount booked before), and the next month-end
    /// re-accrues, re-classifies and re-reserves (PPAP is a portfolio figure, recomputed by
    /// every month-end, not split per loan) from the corrected registers.
    ///
    /// The same conditions as [`Operation::Reverse`] of an event hold otherwise: the operation
    /// is reversible, no later *operation* changed the same object (month-ends do not count),
    /// its year is open, its payable is unpaid. It also accepts an event no month-end has
    /// posted for (then it is a plain reversal made by two persons). Interest on simpanan
    /// sukarela is computed on day balances, so it is not only reversed but recomputed: for
    /// each month-end, the interest it paid is reversed and the interest it would have paid
    /// without the operation is posted (both with the month-end's source shape
    /// `month-end:<date>/…/savings-interest`), and the account is left as those month-ends
    /// would have left it. Once a fiscal year is closed, month-ends no longer keep their
    /// postings for that year's operations: such an operation is not corrected this way.
    #[doc(alias = "koreksi setelah tutup bulan")]
    #[doc(alias = "koreksi akhir bulan")]
    CorrectAfterMonthEnd {
        /// The event to correct: its position in the log (0-based, as in
        /// [`Koperasi::events`](crate::Koperasi::events)).
        event: usize,
        /// Why (required; becomes the memo).
        reason: String,
    },
    /// A general adjusting entry (jurnal penyesuaian / memorial) with free lines (needs
    /// `ReverseEntry`; always a request completed by a second person). It may not touch a
    /// control account with a subledger (savings, loans, QRIS, inventory, Himbara): those
    /// are corrected by reversing the operation. `entry_date` may lie before the event's date
    /// in an open (for instance reopened) year.
    #[doc(alias = "jurnal penyesuaian")]
    #[doc(alias = "jurnal memorial")]
    Adjust {
        /// The entry's accounting date.
        entry_date: NaiveDate,
        /// What it corrects (required; the memo).
        memo: String,
        /// The lines (balanced, at least two).
        lines: Vec<AdjustLine>,
    },
    /// Reopen a closed fiscal year whose SHU is not yet distributed (needs `ReopenPeriod`;
    /// always a request completed by a pengawas with [`Operation::Approve`]). The closing
    /// entry is reversed; the year is closed again with [`Operation::CloseYear`].
    #[doc(alias = "buka kembali tahun buku")]
    ReopenYear {
        /// The fiscal year.
        year: i32,
        /// Why (required; recorded).
        reason: String,
    },
    /// Record a bank reconciliation made with `koperasi-reconcile`
    /// ([`BankReconciliation::from_result`](crate::BankReconciliation::from_result)) and post
    /// its adjustments — bank fees, interest, tax on interest, QRIS settlements net of MDR —
    /// each at its bank line's date with source `reconcile:<fingerprint>`, all or nothing
    /// (needs `PostEntry`; always a request completed by a second person with
    /// [`Operation::Approve`]).
    #[doc(alias = "rekonsiliasi bank")]
    RecordBankReconciliation {
        /// The reconciliation.
        reconciliation: crate::BankReconciliation,
    },
}

/// The number of a two-person request, given by the book in order (1, 2, …) and returned
/// in [`Applied::request`](crate::Applied::request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct RequestId(pub u64);

impl core::fmt::Display for RequestId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "request #{}", self.0)
    }
}

/// What a [`Operation::Reverse`] reverses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ReversalTarget {
    /// One journal entry that touches no control account with a subledger.
    Entry(EntryId),
    /// Every entry of the event at this position of the log (0-based, as in
    /// [`Koperasi::events`](crate::Koperasi::events)), with its subledgers restored.
    Event(usize),
}

/// One line of an [`Operation::Adjust`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AdjustLine {
    /// An open, postable account of the chart.
    pub account: String,
    /// Debit or credit.
    pub side: Side,
    /// The amount (positive).
    pub amount: Rupiah,
    /// The business unit, if any.
    pub unit: Option<BusinessUnit>,
    /// The member, if the line concerns one.
    pub member: Option<MemberId>,
}

impl AdjustLine {
    /// A line without dimensions.
    pub fn new(account: impl Into<String>, side: Side, amount: Rupiah) -> AdjustLine {
        AdjustLine {
            account: account.into(),
            side,
            amount,
            unit: None,
            member: None,
        }
    }
}

impl Operation {
    /// A short `snake_case` name of the operation (used in sources and errors).
    pub fn name(&self) -> &'static str {
        match self {
            Operation::GrantRole { .. } => "grant_role",
            Operation::RegisterMember { .. } => "register_member",
            Operation::PayPrincipalSavings { .. } => "pay_principal_savings",
            Operation::Deposit { .. } => "deposit",
            Operation::Withdraw { .. } => "withdraw",
            Operation::OpenTimeDeposit { .. } => "open_time_deposit",
            Operation::WithdrawTimeDeposit { .. } => "withdraw_time_deposit",
            Operation::ApplyLoan { .. } => "apply_loan",
            Operation::ApproveLoan { .. } => "approve_loan",
            Operation::DisburseLoan { .. } => "disburse_loan",
            Operation::RepayLoan { .. } => "repay_loan",
            Operation::ChargePenalties { .. } => "charge_penalties",
            Operation::WriteOffLoan { .. } => "write_off_loan",
            Operation::RecoverLoan { .. } => "recover_loan",
            Operation::Purchase { .. } => "purchase",
            Operation::PaySupplier { .. } => "pay_supplier",
            Operation::Sale { .. } => "sale",
            Operation::QrisSale { .. } => "qris_sale",
            Operation::SettleQris { .. } => "settle_qris",
            Operation::Expense { .. } => "expense",
            Operation::Transfer { .. } => "transfer",
            Operation::AcquireAsset { .. } => "acquire_asset",
            Operation::Capital { .. } => "capital",
            Operation::HimbaraDrawdown { .. } => "himbara_drawdown",
            Operation::HimbaraInstallment { .. } => "himbara_installment",
            Operation::MonthEnd => "month_end",
            Operation::MemberExit { .. } => "member_exit",
            Operation::CloseYear { .. } => "close_year",
            Operation::DistributeShu { .. } => "distribute_shu",
            Operation::AcquireFixedAsset { .. } => "acquire_fixed_asset",
            Operation::DisposeAsset { .. } => "dispose_asset",
            Operation::ExpenseOnCredit { .. } => "expense_on_credit",
            Operation::PrepayExpense { .. } => "prepay_expense",
            Operation::StockCount { .. } => "stock_count",
            Operation::PledgeCollateral { .. } => "pledge_collateral",
            Operation::AssessLoan { .. } => "assess_loan",
            Operation::WriteOffOverride { .. } => "write_off_override",
            Operation::PayPayable { .. } => "pay_payable",
            Operation::LinkMember { .. } => "link_member",
            Operation::DismissMember { .. } => "dismiss_member",
            Operation::MemberDeath { .. } => "member_death",
            Operation::Approve { .. } => "approve",
            Operation::Reject { .. } => "reject",
            Operation::WithdrawRequest { .. } => "withdraw_request",
            Operation::Reverse { .. } => "reverse",
            Operation::CorrectAfterMonthEnd { .. } => "correct_after_month_end",
            Operation::Adjust { .. } => "adjust",
            Operation::ReopenYear { .. } => "reopen_year",
            Operation::RecordBankReconciliation { .. } => "record_bank_reconciliation",
        }
    }
}

/// The version of the event format this crate writes ([`Event::format`]). Version 1 had no
/// `format` field (it reads as 1); version 2 added the two-person requests
/// ([`Operation::Approve`], [`Operation::Reject`]), corrections ([`Operation::Reverse`],
/// [`Operation::Adjust`], [`Operation::ReopenYear`]), [`Operation::LinkMember`], and dropped
/// the maker-named `checker` of [`Operation::ApproveLoan`]; version 3 added
/// [`Operation::WithdrawRequest`] (a version-2 log reads unchanged); version 4 added
/// [`Operation::CorrectAfterMonthEnd`] (a version-2 or -3 log reads unchanged); version 5
/// changed no shape but two meanings: a [`Operation::MonthEnd`] also accrues the interest
/// incurred on the Himbara loan and not yet paid, and a repayment that reaches a loan's payoff
/// amount settles it (a version-4 month-end or repayment keeps its old meaning, so an older
/// log replays as written). See `docs/events.md`.
pub const EVENT_FORMAT: u32 = 5;

/// One applied operation: when, by whom, what — and the format it was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Event {
    /// The event format version ([`EVENT_FORMAT`] for new events; 1 when absent). A book
    /// refuses an event of a later format than it knows.
    #[cfg_attr(feature = "serde", serde(default = "format_v1"))]
    pub format: u32,
    /// The accounting date. Events are applied in date order.
    pub date: NaiveDate,
    /// Who does it (checked against the roles).
    pub actor: ActorId,
    /// What.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub op: Operation,
}

impl Event {
    /// An event.
    pub fn new(date: NaiveDate, actor: ActorId, op: Operation) -> Event {
        Event {
            format: EVENT_FORMAT,
            date,
            actor,
            op,
        }
    }
}

#[cfg(feature = "serde")]
fn format_v1() -> u32 {
    1
}

/// A savings kind's short Indonesian name.
pub(crate) fn kind_name(kind: SavingsKind) -> &'static str {
    match kind {
        SavingsKind::Principal => "pokok",
        SavingsKind::Mandatory => "wajib",
        SavingsKind::TimeDeposit => "berjangka",
        SavingsKind::Voluntary => "sukarela",
    }
}
