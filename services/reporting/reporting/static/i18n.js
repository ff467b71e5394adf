// Lintas dashboard texts in Bahasa Indonesia (default) and English, and locale formatting.
"use strict";
const I18n = (() => {
  const LOCALES = { id: "id-ID", en: "en-GB" };
  const ZONE = "Asia/Jakarta";
  const KEY = "lintas.dashboard.lang";
  const T = {
    id: {
      title: "Lintas — Dasbor pelatihan petugas pemasyarakatan di BLK",
      subtitle: "Pelatihan petugas pemasyarakatan di BLK",
      data_as_of: "Data per",
      refreshed: "diperbarui",
      no_events: "belum ada peristiwa",
      language: "Bahasa",
      views: "Tampilan",
      view_national: "Nasional", view_lapas: "Lapas", view_blk: "BLK",
      view_instructors: "Instruktur",
      filters: "Filter",
      f_province: "Provinsi", f_kejuruan: "Kejuruan", f_year: "Tahun program",
      f_status: "Status", all: "semua",
      f_year_tip: "Tahun mulai paket pelatihan",
      kpis: "Indikator utama",
      funnel: "Corong: terdaftar → selesai → kompeten → tersertifikasi",
      funnel_share: "Persentase dihitung dari jumlah terdaftar (tidak termasuk yang mengundurkan diri).",
      competent_vs_certified: "Kompeten: hasil K pada uji teknis dan, untuk paket jalur instruktur, pada uji metodologi. Tersertifikasi: sertifikat instruktur telah terbit, yang juga mensyaratkan paket jalur instruktur, pelatihan selesai dan kehadiran minimal (porsi JP). Karena itu jumlah tersertifikasi bisa lebih kecil daripada kompeten.",
      trend: "Tren bulanan (bulan menurut WIB)",
      provinces: "Perbandingan per provinsi (Kanwil)",
      lapas_title: "Lapas", blk_title: "BLK", packages_title: "Paket pelatihan",
      instructors_title: "Registri instruktur",
      csv: "Unduh CSV", csv_tip: "Baris sesuai filter, sebagai CSV",
      scope_all: "Filter aktif ({filters}) berlaku untuk semua angka di tampilan ini.",
      scope_none: "Tanpa filter: angka mencakup seluruh data.",
      scope_partial: "Filter {filters} tidak mengubah {figures}: angka tersebut dihitung tanpa filter ini.",
      scope_partial_many: "Filter {filters} tidak mengubah {figures}: angka tersebut dihitung tanpa filter ini.",
      not_filtered: "Tidak difilter: {filters}",
      province_rule: "Provinsi: petugas, pendaftaran, instruktur dan Lapas dihitung menurut provinsi Lapas; paket, kuota dan BLK menurut provinsi BLK.",
      empty: "Tidak ada data untuk pilihan ini.",
      no_data_yet: "Belum ada data.",
      error: "Data tidak dapat dimuat ({where}): {what}. Dasbor mencoba lagi otomatis.",
      http_error: "HTTP {status}",
      network_error: "layanan tidak terjangkau",
      about: "Tentang data",
      about_source: "Sumber: peristiwa dari layanan pendaftaran dan sertifikasi, diproyeksikan oleh layanan pelaporan.",
      about_as_of: "\u201cData per\u201d adalah waktu peristiwa terakhir yang sudah diterapkan; halaman diperbarui setiap {seconds} detik.",
      about_generation: "Generasi model baca: {generation}.",
      about_times: "Semua waktu dalam WIB (Asia/Jakarta).",
      about_api: "API kueri (OpenAPI)",
      rows: "{shown} dari {total} baris",
      ratio_tip: "Rasio dihitung dari jumlah, bukan rata-rata rasio.",
      officer_scope: "Data petugas (NIP, nama) hanya dalam cakupan unit Anda ({unit}); angka agregat di tampilan lain mencakup seluruh data.",
      sign_in_title: "Masuk ke Lintas",
      sign_in_why: "Dasbor hanya untuk pengguna yang masuk melalui penyedia identitas instansinya. Data petugas (NIP, nama) hanya tampil sesuai cakupan unit Anda.",
      sign_in_with: "Masuk melalui {issuer}",
      sign_out: "Keluar",
      signed_in_as: "Masuk sebagai {unit} · {roles}",
      session_expired: "Sesi Anda berakhir. Silakan masuk lagi.",
      signed_out: "Anda sudah keluar.",
      sign_in_failed: "Gagal masuk. Silakan coba lagi.",
      issuer_unreachable: "Penyedia identitas tidak terjangkau.",
    },
    en: {
      title: "Lintas — Dashboard of correctional officers' training at BLK",
      subtitle: "Training of correctional officers at BLK",
      data_as_of: "Data as of",
      refreshed: "refreshed",
      no_events: "no events yet",
      language: "Language",
      views: "Views",
      view_national: "National", view_lapas: "Lapas", view_blk: "BLK",
      view_instructors: "Instructors",
      filters: "Filters",
      f_province: "Province", f_kejuruan: "Trade (kejuruan)", f_year: "Programme year",
      f_status: "Status", all: "all",
      f_year_tip: "Year the training package started",
      kpis: "Key figures",
      funnel: "Funnel: enrolled → completed → competent → certified",
      funnel_share: "Percentages are of enrolled (withdrawn enrollments excluded).",
      competent_vs_certified: "Competent: K on the technical test and, on instructor-track packages, on the methodology test. Certified: an instructor certificate was issued, which also needs an instructor-track package, completed training and the minimum attendance (share of JP). So certified can be lower than competent.",
      trend: "Monthly trend (months in WIB)",
      provinces: "Comparison by province (Kanwil)",
      lapas_title: "Lapas", blk_title: "BLK", packages_title: "Training packages",
      instructors_title: "Instructor registry",
      csv: "Download CSV", csv_tip: "Rows matching the filters, as CSV",
      scope_all: "The active filters ({filters}) apply to every figure in this view.",
      scope_none: "No filter: figures cover all data.",
      scope_partial: "The {filters} filter does not change {figures}: those are computed without it.",
      scope_partial_many: "The {filters} filters do not change {figures}: those are computed without them.",
      not_filtered: "Not filtered by: {filters}",
      province_rule: "Province: officers, enrollments, instructors and Lapas count by the Lapas's province; packages, seats and BLK by the BLK's province.",
      empty: "No data for this selection.",
      no_data_yet: "No data yet.",
      error: "Could not load the data ({where}): {what}. The dashboard retries by itself.",
      http_error: "HTTP {status}",
      network_error: "service not reachable",
      about: "About the data",
      about_source: "Source: events from the enrollment and certification services, projected by the reporting service.",
      about_as_of: "\u201cData as of\u201d is the time of the latest event applied; the page refreshes every {seconds} seconds.",
      about_generation: "Read-model generation: {generation}.",
      about_times: "All times in WIB (Asia/Jakarta).",
      about_api: "Query API (OpenAPI)",
      rows: "{shown} of {total} rows",
      ratio_tip: "Ratios are computed from the sums, not averaged.",
      officer_scope: "Officer data (NIP, names) only within your unit's scope ({unit}); aggregate figures in the other views cover all data.",
      sign_in_title: "Sign in to Lintas",
      sign_in_why: "The dashboard is for users signed in through their agency's identity provider. Officer data (NIP, names) is shown only within your unit's scope.",
      sign_in_with: "Sign in with {issuer}",
      sign_out: "Sign out",
      signed_in_as: "Signed in as {unit} · {roles}",
      session_expired: "Your session has ended. Please sign in again.",
      signed_out: "You have signed out.",
      sign_in_failed: "Sign-in failed. Please try again.",
      issuer_unreachable: "The identity provider cannot be reached.",
    },
  };
  // Column titles and their tooltips: [id, en, id tip, en tip].
  const COLUMNS = {
    lapas: ["Lapas", "Lapas", "Lapas dengan petugas terdaftar", "Lapas with officers enrolled"],
    blk: ["BLK", "BLK", "BLK dengan paket dibuka", "BLK with packages opened"],
    packages: ["Paket", "Packages", "Paket dibuka (tanpa yang dibatalkan)", "Packages opened (cancelled excluded)"],
    seats: ["Kuota", "Seats", "Jumlah kursi paket", "Seats of the packages"],
    officers: ["Petugas", "Officers", "Petugas berbeda yang pernah terdaftar", "Distinct officers ever enrolled"],
    enrolled: ["Terdaftar", "Enrolled", "Pendaftaran yang tidak mengundurkan diri", "Enrollments not withdrawn"],
    withdrawn: ["Mengundurkan diri", "Withdrawn", "Pendaftaran yang ditarik", "Enrollments withdrawn"],
    completed: ["Selesai pelatihan", "Completed", "Pelatihan tercatat selesai", "Training recorded as completed"],
    competent: ["Kompeten (K)", "Competent (K)", "K pada uji teknis, dan pada uji metodologi untuk jalur instruktur", "K on the technical test, and on the methodology test for the instructor track"],
    certified: ["Tersertifikasi", "Certified", "Sertifikat instruktur terbit (juga mensyaratkan kehadiran minimal)", "Instructor certificate issued (also needs the minimum attendance)"],
    instructors_active: ["Instruktur aktif", "Active instructors", "Sertifikat berlaku", "Certificates in force"],
    instructors_expired: ["Instruktur kedaluwarsa", "Expired instructors", "Sertifikat lewat masa berlaku (3 tahun)", "Certificates past their 3-year validity"],
    instructors_revoked: ["Instruktur dicabut", "Revoked instructors", "Sertifikat dicabut", "Certificates revoked"],
    median_days_to_certification: ["Median hari ke sertifikat", "Median days to certificate", "Dari pendaftaran sampai sertifikat terbit", "From enrollment to certificate"],
    p90_days_to_certification: ["P90 hari ke sertifikat", "P90 days to certificate", "90% sertifikat terbit dalam jumlah hari ini", "90% of certificates were issued within this many days"],
    lapas_code: ["Kode Lapas", "Lapas code"], lapas_name: ["Lapas", "Lapas"],
    blk_code: ["Kode BLK", "BLK code"], blk_name: ["BLK", "BLK"],
    province: ["Provinsi", "Province"], kejuruan: ["Kejuruan", "Trade"],
    year: ["Tahun", "Year"],
    completion_rate: ["Tingkat selesai", "Completion rate", "Selesai ÷ terdaftar", "Completed ÷ enrolled"],
    fill_rate: ["Keterisian", "Fill rate", "Terdaftar ÷ kuota", "Enrolled ÷ seats"],
    competency_rate: ["Tingkat kompeten", "Competency rate", "Kompeten ÷ diuji", "Competent ÷ assessed"],
    code: ["Kode paket", "Package code"], title: ["Nama paket", "Package"],
    track: ["Jalur", "Track"], start_date: ["Mulai", "Starts"],
    technical_k: ["Teknis K", "Technical K", "Hasil K pada uji teknis", "K on the technical test"],
    technical_bk: ["Teknis BK", "Technical BK", "Belum kompeten pada uji teknis (belum final)", "Not yet competent on the technical test (not final)"],
    methodology_k: ["Metodologi K", "Methodology K", "Hasil K pada uji metodologi", "K on the methodology test"],
    methodology_bk: ["Metodologi BK", "Methodology BK", "Belum kompeten pada uji metodologi (belum final)", "Not yet competent on the methodology test (not final)"],
    status: ["Status", "Status"],
    certificate_number: ["No. sertifikat", "Certificate no."],
    officer_name: ["Nama petugas", "Officer"], nip: ["NIP", "NIP"],
    issued_on: ["Terbit", "Issued"], expires_on: ["Berlaku s.d.", "Valid until"],
  };
  const VALUES = {
    ACTIVE: ["Aktif", "Active"], EXPIRED: ["Kedaluwarsa", "Expired"],
    REVOKED: ["Dicabut", "Revoked"], OPEN: ["Dibuka", "Open"], CLOSED: ["Ditutup", "Closed"],
    CANCELLED: ["Dibatalkan", "Cancelled"], INSTRUCTOR: ["Instruktur", "Instructor"],
    RESKILLING: ["Reskilling", "Reskilling"],
    MEUBEL: ["Mebel", "Furniture"], TEKNIK_LAS: ["Teknik las", "Welding"],
    BARISTA: ["Barista", "Barista"], PROCESSING: ["Pengolahan", "Processing"],
    TATA_KECANTIKAN: ["Tata kecantikan", "Beauty care"],
    FASHION_TECHNOLOGY: ["Teknologi fesyen", "Fashion technology"],
    TEKNIK_OTOMOTIF: ["Teknik otomotif", "Automotive"],
    TEKNIK_LISTRIK: ["Teknik listrik", "Electrical"], TIK: ["TIK", "ICT"],
    REFRIGERASI: ["Refrigerasi", "Refrigeration"], BANGUNAN: ["Bangunan", "Construction"],
    PARIWISATA: ["Pariwisata", "Tourism"], AGRIBISNIS: ["Agribisnis", "Agribusiness"],
    TEKNIK_MANUFAKTUR: ["Teknik manufaktur", "Manufacturing"],
    DITJENPAS: ["Ditjenpas", "Ditjenpas"], KEMNAKER: ["Kemnaker", "Kemnaker"], LSP: ["LSP", "LSP"],
    operator: ["Operator", "Operator"], analyst: ["Analis", "Analyst"],
    auditor: ["Auditor", "Auditor"], assessor: ["Asesor", "Assessor"],
    data_protection_officer: ["Pejabat pelindungan data", "Data-protection officer"],
  };

  let lang = "id";
  try {
    const saved = localStorage.getItem(KEY);
    if (saved && T[saved]) lang = saved;
  } catch (_) { /* storage blocked: the default language stays */ }

  const idx = () => (lang === "id" ? 0 : 1);
  function t(key, vars) {
    let s = T[lang][key] ?? T.id[key] ?? key;
    for (const [k, v] of Object.entries(vars || {})) s = s.replaceAll(`{${k}}`, v);
    return s;
  }
  const column = (c) => (COLUMNS[c] ? COLUMNS[c][idx()] : c.replaceAll("_", " "));
  const columnTip = (c) => (COLUMNS[c] && COLUMNS[c][2 + idx()]) || "";
  const value = (v) => (VALUES[v] ? VALUES[v][idx()] : v);
  const locale = () => LOCALES[lang];
  const number = (n, digits = 0) =>
    new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n ?? 0);
  const percent = (r) =>
    new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(r);
  // Instants are shown in WIB whatever the browser's own time zone is.
  const dateTime = (iso) => `${new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE, day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(new Date(iso))} WIB`;
  const time = (d) => `${new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).format(d)} WIB`;
  // Calendar dates (YYYY-MM-DD) have no time zone: format them as the same day in UTC.
  const day = (ymd) => new Intl.DateTimeFormat(locale(), {
    timeZone: "UTC", day: "numeric", month: "short", year: "numeric",
  }).format(new Date(`${ymd.slice(0, 10)}T00:00:00Z`));
  const month = (ym) => new Intl.DateTimeFormat(locale(), {
    timeZone: "UTC", month: "short", year: "2-digit",
  }).format(new Date(`${ym.slice(0, 7)}-01T00:00:00Z`));
  function list(items) {
    return new Intl.ListFormat(locale(), { style: "long", type: "conjunction" }).format(items);
  }

  // Fills every [data-i18n] text, [data-i18n-title] tooltip and [data-i18n-label] aria-label.
  function apply(root = document) {
    document.documentElement.lang = lang;
    document.title = t("title");
    root.querySelectorAll("[data-i18n]").forEach((n) => { n.textContent = t(n.dataset.i18n); });
    root.querySelectorAll("[data-i18n-title]").forEach((n) => { n.title = t(n.dataset.i18nTitle); });
    root.querySelectorAll("[data-i18n-label]").forEach((n) => {
      n.setAttribute("aria-label", t(n.dataset.i18nLabel));
    });
  }
  function set(next) {
    if (!T[next]) return;
    lang = next;
    try { localStorage.setItem(KEY, next); } catch (_) { /* not remembered, still switched */ }
    apply();
  }
  return {
    t, column, columnTip, value, number, percent, dateTime, time, day, month, list, apply, set,
    get lang() { return lang; },
  };
})();
