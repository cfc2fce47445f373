using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Aggregation;

/// <summary>One running accumulation ($sum, $avg, ...) for one group.</summary>
internal interface IAccumulator
{
    /// <summary>Feeds one evaluated value (null = missing).</summary>
    void Add(BsonValue? value);

    /// <summary>The accumulated result.</summary>
    BsonValue Result();
}

/// <summary>The <c>$group</c> accumulators.</summary>
internal static class Accumulators
{
    /// <summary>The accumulator names supported.</summary>
    public static bool IsKnown(string name)
        => name is "$sum" or "$avg" or "$min" or "$max" or "$first" or "$last" or "$push" or "$addToSet" or "$count";

    /// <summary>A fresh accumulator; <see cref="IsKnown"/> must hold.</summary>
    public static IAccumulator Create(string name) => name switch
    {
        "$sum" or "$count" => new SumAccumulator(),
        "$avg" => new AvgAccumulator(),
        "$min" => new ExtremeAccumulator(wantMax: false),
        "$max" => new ExtremeAccumulator(wantMax: true),
        "$first" => new FirstAccumulator(),
        "$last" => new LastAccumulator(),
        "$push" => new PushAccumulator(),
        "$addToSet" => new AddToSetAccumulator(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown accumulator."),
    };

    /// <summary>
    /// Sum of the numeric values (others ignored): Int32 while it fits, then Int64, then double;
    /// double as soon as a double is added; decimal as soon as a decimal is added.
    /// </summary>
    private sealed class SumAccumulator : IAccumulator
    {
        private BsonValue _total = BsonInt32.Create(0);

        public void Add(BsonValue? value)
        {
            if (value is { IsNumeric: true })
            {
                _total = NumericOps.Aggregate(NumericOps.Op.Add, _total, value);
            }
        }

        public BsonValue Result() => _total;
    }

    /// <summary>Mean of the numeric values as a double (decimal when a decimal was seen), or null.</summary>
    private sealed class AvgAccumulator : IAccumulator
    {
        private BsonValue _total = BsonInt32.Create(0);
        private long _count;

        public void Add(BsonValue? value)
        {
            if (value is { IsNumeric: true })
            {
                _total = NumericOps.Aggregate(NumericOps.Op.Add, _total, value);
                _count++;
            }
        }

        public BsonValue Result()
        {
            if (_count == 0)
            {
                return BsonNull.Value;
            }

            if (_total is BsonDecimal128 d)
            {
                return new BsonDecimal128(NumericOps.DecimalDivide(d.Value, Decimal128.FromInt64(_count)));
            }

            return new BsonDouble(_total.ToDouble() / _count);
        }
    }

    /// <summary>Smallest or largest value by the cross-type order, ignoring null, undefined and missing.</summary>
    private sealed class ExtremeAccumulator(bool wantMax) : IAccumulator
    {
        private BsonValue? _best;

        public void Add(BsonValue? value)
        {
            if (value is null || value.Type is BsonType.Null or BsonType.Undefined)
            {
                return;
            }

            if (_best is null)
            {
                _best = value;
                return;
            }

            var c = BsonValueComparer.Instance.Compare(value, _best);
            if (wantMax ? c > 0 : c < 0)
            {
                _best = value;
            }
        }

        public BsonValue Result() => _best ?? BsonNull.Value;
    }

    private sealed class FirstAccumulator : IAccumulator
    {
        private bool _seen;
        private BsonValue? _first;

        public void Add(BsonValue? value)
        {
            if (!_seen)
            {
                _seen = true;
                _first = value;
            }
        }

        public BsonValue Result() => _first ?? BsonNull.Value;
    }

    private sealed class LastAccumulator : IAccumulator
    {
        private BsonValue? _last;

        public void Add(BsonValue? value) => _last = value;

        public BsonValue Result() => _last ?? BsonNull.Value;
    }

    private sealed class PushAccumulator : IAccumulator
    {
        private readonly BsonArray _items = [];

        public void Add(BsonValue? value)
        {
            if (value is not null)
            {
                _items.Add(value);
            }
        }

        public BsonValue Result() => _items;
    }

    private sealed class AddToSetAccumulator : IAccumulator
    {
        private readonly HashSet<BsonValue> _seen = new(BsonValueComparer.Instance);
        private readonly BsonArray _items = [];

        public void Add(BsonValue? value)
        {
            if (value is not null && _seen.Add(value))
            {
                _items.Add(value);
            }
        }

        public BsonValue Result() => _items;
    }
}
