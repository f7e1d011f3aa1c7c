"""`/analytics/*` (analysts and staff) and `/admin/dashboard` (staff)."""
