"""moo.py - gdb commands that read moo's data structures (loaded by tools/gdbinit).

    moo-ps                 every task: pid, state, parent, name, address space
    moo-vmas [PID]         the VMAs of a task (default: the current one)
    moo-pt ADDR [PID]      walk the page table for ADDR, one line per level
    moo-page PHYSADDR      the struct page of a physical address

They only read memory, so they work whenever gdb has stopped the kernel
(once paging is on: break on kmain first, see README "Debugging").
"""
import gdb

DIRECT_MAP_BASE = 0xffff800000000000
PTE_ADDR_MASK = 0x000ffffffffff000
STATES = {0: "R", 1: "S", 2: "Z"}


def offset_of(type_name, field):
    t = gdb.lookup_type(type_name)
    for f in t.fields():
        if f.name == field:
            return f.bitpos // 8
    raise gdb.GdbError("%s has no field %s" % (type_name, field))


def list_entries(head_expr, type_name, field):
    """The structures linked into the list_head at head_expr (Linux's list_for_each_entry)."""
    head = gdb.parse_and_eval(head_expr)
    head_addr = int(head.address)
    off = offset_of(type_name, field)
    ptr_type = gdb.lookup_type(type_name).pointer()
    node = head["next"]
    out = []
    while int(node) != head_addr and len(out) < 100000:
        out.append(gdb.Value(int(node) - off).cast(ptr_type).dereference())
        node = node["next"]
    return out


def tasks():
    return list_entries("all_tasks", "struct task", "tasks")


def current_task():
    return gdb.parse_and_eval("cpu0.current_task").dereference()


def task_by_pid(arg):
    if not arg:
        return current_task()
    pid = int(gdb.parse_and_eval(arg))
    for t in tasks():
        if int(t["pid"]) == pid:
            return t
    raise gdb.GdbError("no task with pid %d" % pid)


def read_u64(addr):
    inferior = gdb.selected_inferior()
    return int.from_bytes(bytes(inferior.read_memory(addr, 8)), "little")


class MooPs(gdb.Command):
    """List every task: pid, state, parent, name and address space."""

    def __init__(self):
        super().__init__("moo-ps", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        cur = int(gdb.parse_and_eval("cpu0.current_task"))
        print("  PID  PPID S NAME             MM")
        for t in tasks():
            parent = t["parent"]
            ppid = int(parent["pid"]) if int(parent) and int(parent) != int(t.address) else 0
            mark = "*" if int(t.address) == cur else " "
            print("%s%4d %5d %s %-16s %#x" % (mark, int(t["pid"]), ppid,
                                               STATES.get(int(t["state"]), "?"),
                                               t["comm"].string(), int(t["mm"])))


class MooVmas(gdb.Command):
    """List the VMAs of a task: moo-vmas [PID] (default: the current task)."""

    def __init__(self):
        super().__init__("moo-vmas", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        t = task_by_pid(arg.strip())
        mm = t["mm"]
        if not int(mm):
            print("pid %d has no address space" % int(t["pid"]))
            return
        n = int(mm["vmas"]["n"])
        print("pid %d (%s): %d VMAs, rss %d anon + %d file pages" % (
            int(t["pid"]), t["comm"].string(), n, int(mm["rss_anon"]), int(mm["rss_file"])))
        flags = [(0x1, "r"), (0x2, "w"), (0x4, "x")]
        for i in range(n):
            v = mm["vmas"]["v"][i].dereference()
            f = int(v["vm_flags"])
            perm = "".join(c if f & b else "-" for b, c in flags)
            perm += "s" if f & 0x8 else "p"
            extra = []
            if f & 0x100:
                extra.append("growsdown")
            if f & 0x20000:
                extra.append("dontfork")
            if f & 0x2000000:
                extra.append("wipeonfork")
            backing = "anon"
            if int(v["vm_file"]):
                path = v["vm_file"]["path"]
                backing = path.string() if int(path) else "file"
                backing += " +%#x" % (int(v["vm_pgoff"]) * 4096)
            print("  %016x-%016x %s %s %s" % (int(v["vm_start"]), int(v["vm_end"]), perm,
                                            backing, " ".join(extra)))


class MooPt(gdb.Command):
    """Walk the page table for an address: moo-pt ADDR [PID]."""

    def __init__(self):
        super().__init__("moo-pt", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args:
            raise gdb.GdbError("usage: moo-pt ADDR [PID]")
        va = int(gdb.parse_and_eval(args[0])) & 0xffffffffffffffff
        t = task_by_pid(args[1] if len(args) > 1 else "")
        if int(t["mm"]):
            table = int(t["mm"]["pgd"])
        else:
            table = int(gdb.parse_and_eval("kernel_pml4"))
        names = {4: "PML4", 3: "PDPT", 2: "PD", 1: "PT"}
        for level in (4, 3, 2, 1):
            index = (va >> (12 + 9 * (level - 1))) & 511
            e = read_u64(table + index * 8)
            bits = "".join(c for b, c in [(0, "P"), (1, "W"), (2, "U"), (5, "A"), (6, "D"),
                                          (7, "PS"), (8, "G"), (9, "PROTNONE"), (63, "NX")]
                           if e >> b & 1)
            print("  %-4s[%3d] = %#018x  %s" % (names[level], index, e, bits))
            if not e & 1 and not (level == 1 and e >> 9 & 1):
                print("  not mapped")
                return
            if level == 1 or (level == 2 and e >> 7 & 1):
                size = 4096 if level == 1 else 1 << 21
                pa = (e & PTE_ADDR_MASK & ~(size - 1)) | (va & (size - 1))
                print("  -> physical %#x" % pa)
                return
            table = (e & PTE_ADDR_MASK) + DIRECT_MAP_BASE


class MooPage(gdb.Command):
    """Show the struct page of a physical address: moo-page PHYSADDR."""

    def __init__(self):
        super().__init__("moo-page", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        pa = int(gdb.parse_and_eval(arg))
        pfn = pa >> 12
        page = gdb.parse_and_eval("mem_map[%d]" % pfn)
        f = int(page["flags"])
        names = [(0, "reserved"), (1, "buddy"), (2, "slab"), (3, "head"), (4, "anon"),
                 (5, "dirty"), (6, "zero")]
        print("pfn %#x: refcount %d, flags %s, order %d" % (
            pfn, int(page["refcount"]),
            "|".join(n for b, n in names if f >> b & 1) or "0", int(page["order"])))


MooPs()
MooVmas()
MooPt()
MooPage()
