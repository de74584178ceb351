/* status.c — status and type names, version. */
#include "internal.h"

unsigned
mtrr_version_number(void)
{
	return MTRR_VERSION_NUMBER;
}

bool
mtrr_status_is_gp(mtrr_status s)
{
	switch (s) {
	case MTRR_E_ABSENT:
	case MTRR_E_READ_ONLY:
	case MTRR_E_RESERVED_BIT:
	case MTRR_E_INVALID_TYPE:
	case MTRR_E_WC_UNSUPPORTED:
		return true;
	default:
		return false;
	}
}

const char *
mtrr_status_str(mtrr_status s)
{
	switch (s) {
	case MTRR_OK: return "ok";
	case MTRR_E_NOT_MTRR: return "not an MTRR MSR";
	case MTRR_E_ABSENT: return "register absent in these capabilities";
	case MTRR_E_READ_ONLY: return "register is read-only";
	case MTRR_E_RESERVED_BIT: return "reserved bit set";
	case MTRR_E_INVALID_TYPE: return "invalid memory type";
	case MTRR_E_WC_UNSUPPORTED: return "WC type without MTRRCAP.WC";
	case MTRR_E_INVALID_ARG: return "invalid argument";
	case MTRR_E_SNAPSHOT_TRUNCATED: return "snapshot truncated";
	case MTRR_E_SNAPSHOT_MAGIC: return "not a libmtrr snapshot (bad magic)";
	case MTRR_E_SNAPSHOT_VERSION: return "unsupported snapshot version";
	case MTRR_E_SNAPSHOT_CHECKSUM: return "snapshot checksum mismatch";
	case MTRR_E_SNAPSHOT_CORRUPT: return "snapshot framing corrupt";
	case MTRR_E_INCOMPATIBLE: return "snapshot does not fit the target capabilities";
	case MTRR_E_BUFFER_TOO_SMALL: return "buffer too small";
	case MTRR_E_MISMATCH: return "vCPUs disagree on their MTRR/PAT state";
	case MTRR_E_TOO_FEW_PAIRS: return "not enough variable pairs for the wanted map";
	case MTRR_E_FIXED_CONFLICT: return "two types wanted inside one fixed range";
	}
	return "unknown status";
}

const char *
mtrr_type_str(uint8_t type)
{
	switch (type) {
	case MTRR_TYPE_UC: return "UC";
	case MTRR_TYPE_WC: return "WC";
	case MTRR_TYPE_WT: return "WT";
	case MTRR_TYPE_WP: return "WP";
	case MTRR_TYPE_WB: return "WB";
	case MTRR_TYPE_UC_MINUS: return "UC-";
	case MTRR_TYPE_MIXED: return "MIXED";
	default: return "INVALID";
	}
}
