/*
 * help.c — what `mtrr help` says: the general usage, one page per command,
 * the input formats, the JSON schema, how to get a dump, and the advice for
 * a log that has no MTRR block.  Kept in one place so README and tool agree.
 */
#include <string.h>

#include "tool.h"

static const char general[] =
	"usage: mtrr [COMMAND] [OPTIONS] [FILE...]\n"
	"\n"
	"Reads an MTRR dump and explains it: the registers, the memory map they make,\n"
	"the memory type of an address.  libmtrr decides every type.\n"
	"\n"
	"commands:\n"
	"  (none) [FILE]            show, then the memory map\n"
	"  show [FILE]              the registers decoded, with warnings\n"
	"  map [FILE]               the memory map, and what decides each range;\n"
	"                           --svg FILE / --html FILE draw it\n"
	"  lookup [-f FILE] ADDR... the memory type of addresses and ranges\n"
	"  check FILE...            is every register one the CPU accepts?\n"
	"  diff FILE_A FILE_B       where two memory maps differ\n"
	"  plan MAPFILE             the registers for a memory map, with the fewest pairs;\n"
	"  plan --from-log FILE     or for a dump's own map, to compare with the firmware's\n"
	"  help [TOPIC]             this text; TOPIC is a command, or formats, json, dump\n"
	"'mtrr help COMMAND' and 'mtrr COMMAND --help' describe a command.\n"
	"\n"
	"FILE is an MTRR dump: MSR/value pairs, a Linux or Xen boot log with the MTRR\n"
	"block, or /proc/mtrr ('mtrr help formats').  '-' reads stdin.  Without FILE,\n"
	"mtrr shows a built-in sample (a QEMU/OVMF guest's boot log) and says so.\n"
	"'mtrr help dump' says how to get a dump of your machine.\n"
	"\n"
	"options for what the input does not say (facts in the input win, with a note):\n"
	"  --format auto|msr|dmesg|proc  the input format (default: detected)\n"
	"  --vcnt N             variable pairs (default: highest pair in the input + 1)\n"
	"  --phys-bits N        MAXPHYADDR, 32..52 (default: smallest that fits, >= 36)\n"
	"  --fixed, --no-fixed  fixed-range MTRRs exist, or not (default: they do)\n"
	"  --wc, --no-wc        the WC type is supported, or not (default: it is)\n"
	"  --vendor intel|amd   (default: intel; amd when a boot log has a TOM2 line or\n"
	"                       the MSRs have AMD's SYSCFG, TOP_MEM, TOP_MEM2 or IORRs)\n"
	"  --no-tom2-wb         AMD: SYSCFG.Tom2ForceMemTypeWB clear (default: a TOM2 line\n"
	"                       sets it, so [4 GiB, TOM2) defaults to WB; 'help formats')\n"
	"  --default-type TYPE  the default type when the input has none (/proc/mtrr, an\n"
	"                       MSR list without 0x2FF): UC WC WT WP WB (default: UC)\n"
	"  --overlap-wb         undefined overlaps resolve to WB, as KVM did (default: UC)\n"
	"output options:\n"
	"  --json               one JSON document on stdout, for every command\n"
	"                       ('mtrr help json')\n"
	"  --svg FILE, --html FILE  map: also draw the memory map into FILE\n"
	"  -h, --help           help;  -V, --version  the version\n"
	"\n"
	"exit status:\n"
	"  0  done: every register valid, no difference, every address has a type\n"
	"  1  found: a register the CPU would reject (#GP), maps that differ (diff),\n"
	"     an address at or beyond 2^MAXPHYADDR (lookup), a map the CPU's pairs\n"
	"     cannot make (plan)\n"
	"  2  usage: the command line is wrong\n"
	"  3  input: unreadable, not an MTRR dump, a log without the MTRR block, a line\n"
	"     not understood, a map too large to list\n"
	"  4  output: stdout or the picture could not be written; out of memory\n";

static const struct topic {
	const char *name;
	const char *text;
} topics[] = {
	{ "show",
	  "usage: mtrr show [OPTIONS] [FILE]\n"
	  "\n"
	  "The registers decoded: the CPU's capabilities (from IA32_MTRRCAP, or what the\n"
	  "input shows, or the options), IA32_MTRR_DEF_TYPE, the fixed ranges as runs of\n"
	  "one type, each variable pair with its range, size, type and raw values, SMRR.\n"
	  "Then warnings: MTRRs disabled, masks that are non-contiguous or stop below\n"
	  "MAXPHYADDR, overlaps the SDM leaves undefined, pairs that change nothing\n"
	  "(duplicates, inside a UC pair, ...), unused pairs below used ones.  A boot log\n"
	  "of Linux >= 6.5 booted with mtrr=debug also has Linux's own map: show compares\n"
	  "it with libmtrr's over the whole address space and says where they differ.\n"
	  "\n"
	  "  mtrr show dmesg.txt\n"
	  "  mtrr show --json dmesg.txt\n"
	  "\n"
	  "Exit status 0, or 1 for a register the CPU would reject, 3 for bad input.\n" },
	{ "map",
	  "usage: mtrr map [OPTIONS] [--svg FILE | --html FILE] [FILE]\n"
	  "\n"
	  "The effective memory map, one row per range: first-last address, the type\n"
	  "libmtrr resolves, the size, and what decides it: the default type, the\n"
	  "fixed ranges, pair n, pairs n+m (and which type wins), or an undefined\n"
	  "overlap of pairs n and m (UC, or WB with --overlap-wb).  A row starts where\n"
	  "the type or what decides it changes.\n"
	  "\n"
	  "--svg FILE writes the map as a picture: the first MiB, the rest below 4 GiB\n"
	  "and the space above as three bands on a log-like scale, each range coloured\n"
	  "by type with its bounds, the registers as bars over the ranges they match,\n"
	  "undefined overlaps hatched.  --html FILE writes a page with the picture and\n"
	  "the table.  Both also print the map (or the JSON) on stdout.\n"
	  "\n"
	  "  mtrr map dmesg.txt\n"
	  "  mtrr map --svg map.svg dmesg.txt\n"
	  "\n"
	  "Exit status 0; 1 for a register the CPU would reject; 3 for bad input or a\n"
	  "map too large to list (strided masks: ask 'mtrr lookup' instead); 4 when the\n"
	  "picture cannot be written.\n" },
	{ "lookup",
	  "usage: mtrr lookup [OPTIONS] [-f FILE] ADDR...\n"
	  "\n"
	  "The memory type of each ADDR, and which registers decide it.  ADDR is\n"
	  "0x<hex> or decimal, with an optional K/M/G/T suffix (4G = 0x100000000);\n"
	  "A-B is the range from A to B inclusive (as map prints it), A+SIZE the SIZE\n"
	  "bytes at A.  A range of several types is MIXED, with its runs.  Without -f,\n"
	  "the built-in sample answers (and a note says so).\n"
	  "\n"
	  "  mtrr lookup -f dmesg.txt 0xfee00000 0xa0000-0xbffff 4G+2M\n"
	  "\n"
	  "Exit status 0; 1 when an address is at or beyond 2^MAXPHYADDR (it has no\n"
	  "memory type) or a register is one the CPU would reject; 2 for an ADDR that\n"
	  "is not an address; 3 for bad input.\n" },
	{ "check",
	  "usage: mtrr check [OPTIONS] FILE...\n"
	  "\n"
	  "Reads each FILE and writes every register through mtrr_wrmsr, which checks\n"
	  "it as the CPU would (reserved bits, invalid types, WC without the cap,\n"
	  "registers the CPU lacks).  Prints 'FILE: ok: ...' or 'FILE:LINE: reason'.\n"
	  "\n"
	  "  mtrr check dmesg.txt rdmsr.txt\n"
	  "\n"
	  "Exit status: the largest of the files': 0 all valid, 1 a register the CPU\n"
	  "would reject, 3 a file that is not a dump (or unreadable).\n" },
	{ "diff",
	  "usage: mtrr diff [OPTIONS] FILE_A FILE_B\n"
	  "\n"
	  "Where the memory maps of two dumps differ: each range with its type in A\n"
	  "and in B ('none' beyond a map's MAXPHYADDR).  The dumps may come in\n"
	  "different formats (a boot log and the same machine's rdmsr list).\n"
	  "\n"
	  "  mtrr diff before.log after.log\n"
	  "\n"
	  "Exit status 0 when the maps are identical, 1 when they differ (or a register\n"
	  "is one the CPU would reject), 3 for bad input.\n" },
	{ "plan",
	  "usage: mtrr plan [OPTIONS] MAPFILE\n"
	  "       mtrr plan --from-log [OPTIONS] FILE\n"
	  "\n"
	  "The MTRRs for a memory map, with the fewest variable pairs (libmtrr's\n"
	  "mtrr_plan: exact, contiguous masks, no undefined overlap), then the map they\n"
	  "make (mtrr_map_build) and a check that every wanted range has its type.\n"
	  "\n"
	  "MAPFILE is one of:\n"
	  "  a boot log with 'BIOS-e820:' lines ('[mem 0xFIRST-0xLAST] TYPE', or 2.6's\n"
	  "    'START - END (TYPE)'; the other lines are ignored).  usable RAM, persistent\n"
	  "    memory and soft reserved must be WB; reserved, ACPI data, ACPI NVS,\n"
	  "    unusable and the rest may be any type (--reserved-uc: UC): they hold\n"
	  "    firmware RAM and MMIO alike, and the OS maps MMIO UC through the PAT\n"
	  "    whatever the MTRR says.  Space no entry covers may be any type\n"
	  "    (--gaps-uc: UC below the end of the last entry).  RAM entries are\n"
	  "    rounded inward to 4 KiB pages (as Linux uses them), UC ones outward,\n"
	  "    with a note; overlapping entries are an error.\n"
	  "  'START END TYPE' lines: END exclusive (the first address after the range),\n"
	  "    numbers 0x<hex> or decimal with K/M/G/T, TYPE UC WC WT WP WB or any;\n"
	  "    4 KiB aligned; '#' starts a comment.  Space no line covers: any type\n"
	  "    (--gaps-uc: UC below the end of the last line).\n"
	  "With --from-log, FILE is an MTRR dump ('mtrr help formats'): its effective\n"
	  "map is the wanted one, every address of it; the output lists the firmware's\n"
	  "pairs and the plan's, and checks that the two maps agree (mtrr_map_diff).\n"
	  "AMD with a TOM2 line: SYSCFG and TOP_MEM2 stay as the firmware set them, and\n"
	  "the plan leaves [4 GiB, TOM2) to Tom2ForceMemTypeWB.\n"
	  "\n"
	  "options:\n"
	  "  --vcnt N             variable pairs (default 8; --from-log: the dump's)\n"
	  "  --phys-bits N        MAXPHYADDR (default: the smallest >= 36 that holds the\n"
	  "                       map, with a note: the masks depend on it; --from-log:\n"
	  "                       the dump's)\n"
	  "  --no-fixed           plan the first MiB with pairs (default: fixed ranges)\n"
	  "  --reserve N          leave the top N pairs unused, for the OS (default 0)\n"
	  "  --default TYPE|free  the default type (default: UC, as firmware uses, so what\n"
	  "                       the map does not care about stays uncached unless a WB\n"
	  "                       block over it saves pairs; --from-log: free); free: the\n"
	  "                       one that needs the fewest pairs (a tie: UC, WB, WT, ...)\n"
	  "  --whole-space        a pair may cover the whole address space (PHYSMASK 0)\n"
	  "  --reserved-uc        e820 entries other than RAM must be UC\n"
	  "  --gaps-uc            so must the space between entries, below the end of the\n"
	  "                       last one (the PCI windows): with --reserved-uc, what\n"
	  "                       firmware usually programs\n"
	  "  --no-wc, --vendor    the CPU planned for (memory-map mode)\n"
	  "  --format msr|wrmsr|c the registers as MSR/value lines after IA32_MTRRCAP (an\n"
	  "                       MSR dump mtrr reads back; the default), as a shell\n"
	  "                       script of 'wrmsr -a' commands (MTRRs off first, on\n"
	  "                       last), or as a C array of {MSR, value} in write order.\n"
	  "                       Everything else is a comment, so the output is a file\n"
	  "                       of that format.\n"
	  "  --json               one JSON document ('mtrr help json')\n"
	  "\n"
	  "  mtrr plan --phys-bits 39 dmesg.txt\n"
	  "  mtrr plan --from-log --format wrmsr dmesg.txt > mtrr.sh\n"
	  "\n"
	  "Exit status 0 with a plan that checks; 1 when the map needs more pairs than\n"
	  "the CPU has (the minimum is printed), or two types in one fixed-range unit\n"
	  "(give --no-fixed), or a failed check; 2 for a wrong command line; 3 for bad\n"
	  "input (file:line: reason).\n" },
	{ "help",
	  "usage: mtrr help [TOPIC]\n"
	  "\n"
	  "TOPIC: show, map, lookup, check, diff, plan, help, formats, json, dump.\n" },
	{ "formats",
	  "Input formats (detected; --format forces one):\n"
	  "\n"
	  "msr    one MSR and value a line, hex with or without 0x: '0x2ff 0xc06',\n"
	  "       '2ff=c06', '0x2ff: 0xc06', 'wrmsr -a 0x2ff 0xc06', or a register name\n"
	  "       ('IA32_MTRR_DEF_TYPE = 0xc06', 'MTRRphysBase0 0x6').  '#' starts a\n"
	  "       comment.  0xFE (IA32_MTRRCAP) gives VCNT, FIX, WC and SMRR.  AMD's\n"
	  "       SYSCFG (0xC0010010), IORRBase/Mask0-1 (0xC0010016-19), TOP_MEM\n"
	  "       (0xC001001A) and TOP_MEM2 (0xC001001D) make the CPU an AMD one.\n"
	  "dmesg  the MTRR block of a boot log, as every kernel since 2.6.20 printed it:\n"
	  "         Linux 2.6.20-2.6.25 (boot option mtrr.show): 'MTRR 00000-0FFFF ...'\n"
	  "           per fixed piece, 'MTRR 0 base 0000000000 mask F800000000 ...'\n"
	  "         Linux 2.6.26-6.4 (a debug message): merged fixed runs\n"
	  "           '  00000-9FFFF write-back', '  0 base 0080000000 mask ...'\n"
	  "         Linux >= 6.5 (boot option mtrr=debug): the same, 13-digit padding,\n"
	  "           and Linux's own map ('MTRR map: N entries', compared with ours)\n"
	  "         Xen (mtrr.show): the merged layout, lower-case hex, '(XEN) '\n"
	  "         '  0 [00E0000000-00FFFFFFFF] mask FFE0000000 uncachable'\n"
	  "       with dmesg, dmesg -T/-x/-r, --time-format iso, journalctl, syslog and Xen\n"
	  "       prefixes, mail quoting ('> ', '> > '), indentation, CRLF line ends.\n"
	  "       Messages of other subsystems inside the block are skipped with a note;\n"
	  "       any other line there is an error with its line number.\n"
	  "       AMD: 'TOM2: 0000000420000000 aka 16896M'.  Linux prints it only when\n"
	  "       SYSCFG has MtrrTom2En and Tom2ForceMemTypeWB, so the line sets both\n"
	  "       (and TOP_MEM2): [4 GiB, TOM2) defaults to WB, variable pairs still\n"
	  "       decide there; a note says so, --no-tom2-wb leaves Tom2ForceMemTypeWB\n"
	  "       clear.  Xen prints 'TOM2: 000420000000' with MtrrTom2En, '(WB)' added\n"
	  "       when Tom2ForceMemTypeWB is set.\n"
	  "proc   /proc/mtrr: 'reg00: base=0x000000000 (    0MB), size= 2048MB, count=1:\n"
	  "       write-back'.  It has no default type (UC unless --default-type) and\n"
	  "       no fixed ranges.\n" },
	{ "json",
	  "--json prints one JSON document on stdout (messages still go to stderr).\n"
	  "Addresses and sizes are hex strings (\"0x1f\"), ranges [start, end) with\n"
	  "`end` exclusive; types are \"UC\" \"WC\" \"WT\" \"WP\" \"WB\" (\"MIXED\" and\n"
	  "\"INVALID\" for lookups).  Usage errors (exit 2) print no document.\n"
	  "\n"
	  "{\n"
	  "  \"schema\": \"mtrr/1\",\n"
	  "  \"command\": \"show\"|\"map\"|\"lookup\"|\"check\"|\"diff\"|\"plan\"|\"default\",\n"
	  "  \"inputs\": [{\"name\", \"builtin\", \"format\": \"msr\"|\"dmesg\"|\"proc\"|null,\n"
	  "              \"ok\", \"error\": null | {\"kind\": \"io\"|\"syntax\"|\"register\"|\"no_block\",\n"
	  "                                  \"line\", \"text\", \"msr\"?, \"status\"?},\n"
	  "              \"notes\": [{\"line\", \"text\"}],\n"
	  "              \"cpu\": null | {\"vendor\", \"phys_bits\", \"phys_bits_inferred\", \"vcnt\",\n"
	  "                       \"vcnt_inferred\", \"fixed\", \"wc\", \"smrr\",\n"
	  "                       \"undefined_overlap\": \"UC\"|\"WB\"}}],\n"
	  "  show, default:\n"
	  "  \"registers\": {\"def_type\": {\"value\", \"enabled\", \"fixed_enabled\", \"type\"},\n"
	  "                \"fixed\": [{\"start\", \"end\", \"type\"}],\n"
	  "                \"variable\": [{\"pair\", \"valid\", \"physbase\", \"physmask\", \"type\",\n"
	  "                              \"start\", \"size\", \"blocks\"}],\n"
	  "                \"smrr\": null | {\"valid\", \"start\", \"end\", \"type\"},\n"
	  "                \"amd\": null | {\"syscfg\", \"top_mem\", \"top_mem2\",\n"
	  "                               \"iorr\": [{\"base\", \"mask\"}], \"tom2_wb_end\"}},\n"
	  "  \"warnings\": [\"...\"],\n"
	  "  \"linux_map\": {\"entries\", \"compared\", \"agrees\", \"differences\": [{\"start\",\n"
	  "                \"end\", \"size\", \"linux\", \"libmtrr\", \"listed\"}]}   (when in the log)\n"
	  "  map, default:\n"
	  "  \"ranges\": [{\"start\", \"end\", \"size\", \"type\", \"decided_by\": DECIDER}],\n"
	  "  lookup:\n"
	  "  \"lookups\": [{\"query\", \"start\", \"end\", \"size\", \"type\",\n"
	  "               \"decided_by\": DECIDER | null, \"runs\"?: [{\"start\", \"end\", \"size\",\n"
	  "               \"type\"}]}],\n"
	  "  diff:\n"
	  "  \"differences\": [{\"start\", \"end\", \"size\", \"a\": TYPE|null, \"b\": TYPE|null}],\n"
	  "  plan (inputs[0].format \"e820\"|\"ranges\", or a dump's with --from-log):\n"
	  "  \"wanted\": {\"source\": \"e820\"|\"ranges\"|\"registers\", \"tom2_left\",\n"
	  "             \"entries\": [{\"line\", \"start\", \"end\", \"size\", \"what\",\n"
	  "                          \"type\": TYPE|\"any\"}],\n"
	  "             \"ranges\": [{\"start\", \"end\", \"size\", \"type\"}]},  (to mtrr_plan)\n"
	  "  \"cpu\": {\"vendor\", \"phys_bits\", \"phys_bits_inferred\", \"vcnt\", \"fixed\", \"wc\"},\n"
	  "  \"firmware\": null | {\"def_type\", \"pairs\", \"variable\": [PAIR]},\n"
	  "  \"plan\": {\"status\": \"ok\"|\"too_few_pairs\"|\"fixed_conflict\", \"pairs_needed\",\n"
	  "           \"reserve\", \"default_free\", \"whole_space\", \"use_fixed\",\n"
	  "           \"fixed_conflict\": null | {\"start\", \"end\", \"size\"}, \"def_type\",\n"
	  "           \"variable\": [PAIR], \"registers\": [{\"msr\", \"name\", \"value\"}]},\n"
	  "  \"ranges\": [...as map, of the plan...],\n"
	  "  \"check\": null | {\"against\": \"wanted\"|\"firmware\", \"ok\", \"count\",\n"
	  "                    \"differences\": [{\"start\", \"end\", \"size\", \"wanted\", \"planned\"}]},\n"
	  "  \"exit_status\": 0\n"
	  "}\n"
	  "DECIDER = {\"kind\": \"disabled\"|\"fixed\"|\"default\"|\"tom2\"|\"pairs\", \"pairs\": [n...],\n"
	  "           \"undefined\": true when the pairs' types are an undefined overlap}\n"
	  "PAIR = {\"pair\", \"physbase\", \"physmask\", \"type\", \"start\", \"size\", \"blocks\"}\n" },
	{ "dump",
	  "How to get an MTRR dump of a machine:\n"
	  "\n"
	  "1. Read the registers (root, msr-tools; works on every Linux):\n"
	  "     sudo modprobe msr\n"
	  "     { for m in 0xfe 0x2ff 0x250 0x258 0x259 0x268 0x269 0x26a 0x26b 0x26c \\\n"
	  "                0x26d 0x26e 0x26f; do\n"
	  "           v=$(sudo rdmsr -0 $m 2>/dev/null) && echo \"$m $v\"\n"
	  "       done\n"
	  "       n=$(( 0x$(sudo rdmsr -0 0xfe) & 0xff )); i=0\n"
	  "       while [ $i -lt $((2 * n)) ]; do\n"
	  "           m=$(printf '0x%x' $((0x200 + i))); echo \"$m $(sudo rdmsr -0 $m)\"\n"
	  "           i=$((i + 1))\n"
	  "       done; } > mtrr.txt\n"
	  "     mtrr mtrr.txt\n"
	  "2. The boot log, when the kernel printed the MTRR block:\n"
	  "     Linux >= 6.5: boot with mtrr=debug, then 'journalctl -k -b > boot.log'\n"
	  "     Linux 2.6.26-5.11: at every boot, as a debug message: 'dmesg' or\n"
	  "       'journalctl -k -b -p debug' (files in /var/log often drop debug lines)\n"
	  "     Linux 5.12-6.4: only as a dynamic-debug message, which no boot option can\n"
	  "       enable in time (dyndbg= starts after the MTRRs are read): use 1.\n"
	  "     Linux 2.6.20-2.6.25: boot with mtrr.show\n"
	  "     Xen: boot Xen with mtrr.show, then 'xl dmesg > xen.log'\n"
	  "3. /proc/mtrr (root): 'cat /proc/mtrr > proc.txt'.  It has no default type\n"
	  "   and no fixed ranges: give --default-type if the default is not UC.\n" },
};

static const char *const commands[] = {
	"show", "map", "lookup", "check", "diff", "plan", "help"
};

void
help_general(FILE *f)
{
	fputs(general, f);
}

bool
help_topic(FILE *f, const char *topic)
{
	size_t i;

	for (i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
		if (strcmp(topic, topics[i].name) == 0) {
			fputs(topics[i].text, f);
			return true;
		}
	}
	return false;
}

bool
is_command(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(word, commands[i]) == 0)
			return true;
	return false;
}

/* Edit distance with transpositions, capped: enough for typos. */
static unsigned
distance(const char *a, const char *b)
{
	unsigned d[24][24], i, j, la = (unsigned)strlen(a), lb = (unsigned)strlen(b);

	if (la >= 24 || lb >= 24)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1], best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *
suggest_command(const char *word)
{
	const char *best = NULL;
	unsigned best_d = 3, d;
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		d = distance(word, commands[i]);
		if (strncmp(word, commands[i], strlen(word)) == 0 && strlen(word) >= 2)
			d = 1;
		if (d < best_d) {
			best_d = d;
			best = commands[i];
		}
	}
	return best;
}

void
no_block_advice(FILE *f, const struct input *in)
{
	const struct mtrr_log_info *li = &in->dump.log;
	unsigned v = li->major * 1000 + li->minor;

	if (li->summary_line || v >= 6005) {
		fprintf(f, "  Linux >= 6.5 prints the MTRR registers only when booted with "
			"mtrr=debug:\n  add it to the kernel command line, reboot, and give mtrr "
			"'journalctl -k -b'.\n");
	} else if (li->xen) {
		fprintf(f, "  Xen prints its MTRRs only when booted with mtrr.show: add it to "
			"Xen's\n  command line, reboot, and give mtrr 'xl dmesg'.\n");
	} else if (v >= 5012) {
		fprintf(f, "  Linux 5.12 to 6.4 print the MTRR block only as a dynamic-debug "
			"message, and\n  dyndbg= starts too late in the boot to enable it: read the "
			"registers instead.\n");
	} else if (v >= 2026) {
		fprintf(f, "  Linux %u.%u prints the MTRR block at every boot as a debug "
			"message: this log\n  dropped it.  On that machine run 'dmesg', or "
			"'journalctl -k -b -p debug'.\n", li->major, li->minor);
	} else if (v >= 2020) {
		fprintf(f, "  Linux %u.%u prints the MTRR block only when booted with "
			"mtrr.show.\n", li->major, li->minor);
	} else if (v > 0) {
		fprintf(f, "  Linux %u.%u does not print its MTRRs.\n", li->major, li->minor);
	}
	fprintf(f, "  To read the registers now: 'mtrr help dump' (rdmsr as root, or "
		"/proc/mtrr).\n");
}
