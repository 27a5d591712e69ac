// "Simpan untuk offline" (filled in below the skeleton).
export function initSaving() {}
