using System.Diagnostics.CodeAnalysis;

namespace DistributedSync.Bson;

/// <summary>BSON null.</summary>
public sealed class BsonNull : BsonValue
{
    /// <summary>The only instance.</summary>
    public static readonly BsonNull Value = new();

    private BsonNull()
    {
    }

    /// <inheritdoc />
    public override BsonType Type => BsonType.Null;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonNull;

    /// <inheritdoc />
    public override int GetHashCode() => (int)Type;
}

/// <summary>BSON undefined (deprecated).</summary>
public sealed class BsonUndefined : BsonValue
{
    /// <summary>The only instance.</summary>
    public static readonly BsonUndefined Value = new();

    private BsonUndefined()
    {
    }

    /// <inheritdoc />
    public override BsonType Type => BsonType.Undefined;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonUndefined;

    /// <inheritdoc />
    public override int GetHashCode() => (int)Type;
}

/// <summary>BSON MinKey: lower than every other value.</summary>
public sealed class BsonMinKey : BsonValue
{
    /// <summary>The only instance.</summary>
    public static readonly BsonMinKey Value = new();

    private BsonMinKey()
    {
    }

    /// <inheritdoc />
    public override BsonType Type => BsonType.MinKey;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonMinKey;

    /// <inheritdoc />
    public override int GetHashCode() => (int)Type;
}

/// <summary>BSON MaxKey: higher than every other value.</summary>
public sealed class BsonMaxKey : BsonValue
{
    /// <summary>The only instance.</summary>
    public static readonly BsonMaxKey Value = new();

    private BsonMaxKey()
    {
    }

    /// <inheritdoc />
    public override BsonType Type => BsonType.MaxKey;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonMaxKey;

    /// <inheritdoc />
    public override int GetHashCode() => (int)Type;
}
