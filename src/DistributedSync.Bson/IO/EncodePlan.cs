namespace DistributedSync.Bson.IO;

/// <summary>
/// The sizes the encoder's first pass computes, in the order its second pass consumes them:
/// document and array lengths, code-with-scope totals and the UTF-8 byte counts of strings. One
/// instance per thread is reused, so encoding does not allocate for its bookkeeping.
/// </summary>
internal sealed class EncodePlan
{
    private const int InitialCapacity = 64;
    private const int RetainedCapacity = 64 * 1024;

    [ThreadStatic]
    private static EncodePlan? t_cached;

    private int[] _sizes = new int[InitialCapacity];
    private int _count;
    private int _next;

    // The field being sized at each depth (a name, or null and an array index), so that an error
    // can name its path without catching and rethrowing at every level.
    private string?[] _names = new string?[16];
    private int[] _indexes = new int[16];
    private int _baseDepth;
    private int _currentDepth;

    /// <summary>Takes this thread's cached plan (or a new one), empty.</summary>
    public static EncodePlan Rent()
    {
        var plan = t_cached ?? new EncodePlan();
        t_cached = null;
        plan._count = 0;
        plan._next = 0;
        plan._baseDepth = 0;
        plan._currentDepth = 0;
        return plan;
    }

    /// <summary>Gives a plan back for reuse by this thread (very large ones are dropped).</summary>
    public static void Return(EncodePlan plan)
    {
        if (plan._sizes.Length > RetainedCapacity)
        {
            plan._sizes = new int[InitialCapacity];
        }

        if (plan._names.Length > 64)
        {
            plan._names = new string?[16];
            plan._indexes = new int[16];
        }
        else
        {
            Array.Clear(plan._names);
        }

        t_cached = plan;
    }

    /// <summary>Reserves a slot to fill in later with <see cref="Set"/>; returns its index.</summary>
    public int Reserve() => Add(0);

    /// <summary>Appends a size; returns its index.</summary>
    public int Add(int size)
    {
        if (_count == _sizes.Length)
        {
            Array.Resize(ref _sizes, _sizes.Length * 2);
        }

        _sizes[_count] = size;
        return _count++;
    }

    /// <summary>Fills in a reserved slot.</summary>
    public void Set(int slot, int size) => _sizes[slot] = size;

    /// <summary>The next size, in recording order.</summary>
    public int Next() => _sizes[_next++];

    /// <summary>Sets the depth of the container that encloses the value being planned (0 for a whole document).</summary>
    public void SetBaseDepth(int depth)
    {
        _baseDepth = depth;
        _currentDepth = depth;
    }

    /// <summary>Makes room to record fields at <paramref name="depth"/>.</summary>
    public void EnsureDepth(int depth)
    {
        if (depth >= _names.Length)
        {
            var size = Math.Max(depth + 1, _names.Length * 2);
            Array.Resize(ref _names, size);
            Array.Resize(ref _indexes, size);
        }
    }

    /// <summary>Records that the field <paramref name="name"/> of a document at <paramref name="depth"/> is being planned.</summary>
    public void AtField(int depth, string name)
    {
        _names[depth] = name;
        _currentDepth = depth;
    }

    /// <summary>Records that the container at <paramref name="depth"/> itself is being checked (its field is the current one of the parent).</summary>
    public void AtContainer(int depth) => _currentDepth = depth - 1;

    /// <summary>Records that element <paramref name="index"/> of an array at <paramref name="depth"/> is being planned.</summary>
    public void AtElement(int depth, int index)
    {
        _names[depth] = null;
        _indexes[depth] = index;
        _currentDepth = depth;
    }

    /// <summary>The dotted path of the field being planned when an error was raised (shortened when very deep).</summary>
    public string CurrentPath()
    {
        const int Shown = 16;
        var parts = new List<string>();
        for (var depth = _baseDepth + 1; depth <= _currentDepth; depth++)
        {
            if (parts.Count == Shown && _currentDepth - depth > 1)
            {
                parts.Add($"...({_currentDepth - depth} more)...");
                depth = _currentDepth - 1;
                continue;
            }

            parts.Add(_names[depth] ?? _indexes[depth].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return string.Join('.', parts);
    }

    /// <summary>True when the second pass consumed exactly what the first recorded.</summary>
    public bool IsFullyConsumed => _next == _count;
}
