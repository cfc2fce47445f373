using System.Diagnostics.CodeAnalysis;

namespace DistributedSync.Bson;

/// <summary>A BSON regular expression: a pattern and its option letters.</summary>
public sealed class BsonRegularExpression : BsonValue
{
    /// <summary>Creates the value. Options are stored sorted alphabetically, as the BSON spec requires.</summary>
    public BsonRegularExpression(string pattern, string options = "")
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(options);
        Pattern = pattern;
        Options = SortOptions(options);
    }

    /// <summary>The pattern (a C string: no NUL characters).</summary>
    public string Pattern { get; }

    /// <summary>The option letters, sorted.</summary>
    public string Options { get; }

    /// <inheritdoc />
    public override BsonType Type => BsonType.RegularExpression;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other)
        => other is BsonRegularExpression r && r.Pattern == Pattern && r.Options == Options;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Pattern, Options);

    private static string SortOptions(string options)
    {
        if (options.Length < 2)
        {
            return options;
        }

        var chars = options.ToCharArray();
        Array.Sort(chars);
        return new string(chars);
    }
}

/// <summary>BSON JavaScript code.</summary>
public sealed class BsonJavaScript(string code) : BsonValue
{
    /// <summary>The code.</summary>
    public string Code { get; } = code ?? throw new ArgumentNullException(nameof(code));

    /// <inheritdoc />
    public override BsonType Type => BsonType.JavaScript;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonJavaScript j && j.Code == Code;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, Code);
}

/// <summary>BSON JavaScript code with scope (deprecated).</summary>
public sealed class BsonJavaScriptWithScope(string code, BsonDocument scope) : BsonValue
{
    /// <summary>The code.</summary>
    public string Code { get; } = code ?? throw new ArgumentNullException(nameof(code));

    /// <summary>The scope document.</summary>
    public BsonDocument Scope { get; } = scope ?? throw new ArgumentNullException(nameof(scope));

    /// <inheritdoc />
    public override BsonType Type => BsonType.JavaScriptWithScope;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other)
        => other is BsonJavaScriptWithScope j && j.Code == Code && j.Scope.Equals(Scope);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, Code, Scope);
}

/// <summary>BSON symbol (deprecated; a string with its own type byte).</summary>
public sealed class BsonSymbol(string name) : BsonValue
{
    /// <summary>The symbol's text.</summary>
    public string Name { get; } = name ?? throw new ArgumentNullException(nameof(name));

    /// <inheritdoc />
    public override BsonType Type => BsonType.Symbol;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonSymbol s && s.Name == Name;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, Name);
}

/// <summary>BSON DBPointer (deprecated): a namespace string and an ObjectId.</summary>
public sealed class BsonDbPointer(string @namespace, ObjectId id) : BsonValue
{
    /// <summary>The namespace ("db.collection").</summary>
    public string Namespace { get; } = @namespace ?? throw new ArgumentNullException(nameof(@namespace));

    /// <summary>The ObjectId.</summary>
    public ObjectId Id { get; } = id;

    /// <inheritdoc />
    public override BsonType Type => BsonType.DbPointer;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other)
        => other is BsonDbPointer p && p.Namespace == Namespace && p.Id == Id;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Namespace, Id);
}
