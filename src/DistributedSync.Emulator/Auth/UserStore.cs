using DistributedSync.Bson;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Auth;

/// <summary>A user as authentication sees it.</summary>
/// <param name="Name">The user name.</param>
/// <param name="Database">The authentication database.</param>
/// <param name="Sha1">The SCRAM-SHA-1 credential, or null.</param>
/// <param name="Sha256">The SCRAM-SHA-256 credential, or null.</param>
/// <param name="Roles">The role documents (<c>{role, db}</c>).</param>
public sealed record UserRecord(string Name, string Database, ScramCredential? Sha1, ScramCredential? Sha256, BsonArray Roles)
{
    /// <summary>The credential for <paramref name="algorithm"/>, or null.</summary>
    public ScramCredential? CredentialFor(ScramAlgorithm algorithm) => algorithm == ScramAlgorithm.Sha1 ? Sha1 : Sha256;

    /// <summary>The mechanisms the user can authenticate with, as hello's <c>saslSupportedMechs</c>.</summary>
    public IReadOnlyList<string> Mechanisms =>
        [.. ScramAlgorithm.All.Where(a => CredentialFor(a) is not null).Select(a => a.Mechanism)];
}

/// <summary>A user signed in on a connection.</summary>
/// <param name="Name">The user name.</param>
/// <param name="Database">The authentication database.</param>
/// <param name="Roles">The user's roles.</param>
public sealed record AuthenticatedUser(string Name, string Database, BsonArray Roles)
{
    /// <summary><c>{user, db}</c>, as connectionStatus reports it.</summary>
    public BsonDocument ToDocument() => new() { { "user", Name }, { "db", Database } };

    /// <inheritdoc />
    public override string ToString() => Name + "@" + Database;
}

/// <summary>
/// The users, kept as mongod keeps them: documents of <c>admin.system.users</c> with
/// <c>_id: "db.user"</c>, <c>userId</c>, <c>user</c>, <c>db</c>, <c>credentials</c>
/// (SCRAM-SHA-1 and SCRAM-SHA-256: salt, iterationCount, storedKey, serverKey) and
/// <c>roles</c>. Passwords are never stored.
/// </summary>
public sealed class UserStore(StorageEngine storage)
{
    /// <summary>The database holding the users collection.</summary>
    public const string UsersDatabase = "admin";

    /// <summary>The users collection.</summary>
    public const string UsersCollection = "system.users";

    /// <summary>The user <paramref name="user"/> of <paramref name="database"/>, or null.</summary>
    public UserRecord? Find(string database, string user)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(user);
        using var read = storage.OpenRead();
        var collection = read.GetCollection(UsersDatabase, UsersCollection);
        if (collection is null)
        {
            return null;
        }

        var stored = read.FindById(collection, new BsonString(database + "." + user));
        return stored is null ? null : FromDocument(stored.Document);
    }

    /// <summary>True when at least one user exists.</summary>
    public bool Any()
    {
        var collection = storage.GetCollection(UsersDatabase, UsersCollection);
        return collection is not null && storage.GetCounters(UsersDatabase, UsersCollection).Count > 0;
    }

    /// <summary>
    /// Creates the user, or updates its credentials and roles when the password or roles differ.
    /// Returns true when something was written.
    /// </summary>
    public async Task<bool> EnsureUserAsync(string database, string user, string password, BsonArray roles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var existing = Find(database, user);
        if (existing is { Sha1: { } sha1, Sha256: { } sha256 }
            && sha1.Matches(user, password) && sha256.Matches(user, password) && existing.Roles.Equals(roles))
        {
            return false;
        }

        var document = new BsonDocument
        {
            { "_id", database + "." + user },
            { "userId", BsonBinaryData.FromGuid(Guid.NewGuid()) },
            { "user", user },
            { "db", database },
            {
                "credentials", new BsonDocument
                {
                    { ScramAlgorithm.Sha1.Mechanism, ScramCredential.Create(ScramAlgorithm.Sha1, user, password).ToDocument() },
                    { ScramAlgorithm.Sha256.Mechanism, ScramCredential.Create(ScramAlgorithm.Sha256, user, password).ToDocument() },
                }
            },
            { "roles", roles },
        };
        await storage.WriteAsync(
            w =>
            {
                var collection = w.GetOrCreateCollection(UsersDatabase, UsersCollection);
                var old = w.FindById(collection, document["_id"]);
                if (old is null)
                {
                    w.Insert(collection, document);
                }
                else
                {
                    if (old.Document.TryGetValue("userId", out var userId))
                    {
                        document.Set("userId", userId);
                    }

                    w.Replace(collection, old, document);
                }

                return true;
            },
            durable: true,
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads a user document; null when it is not one.</summary>
    public static UserRecord? FromDocument(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.GetValueOrDefault("user") is not BsonString user || document.GetValueOrDefault("db") is not BsonString db)
        {
            return null;
        }

        var credentials = document.GetValueOrDefault("credentials") as BsonDocument;
        ScramCredential? Read(ScramAlgorithm algorithm)
            => credentials?.GetValueOrDefault(algorithm.Mechanism) is BsonDocument c ? ScramCredential.FromDocument(algorithm, c) : null;
        var roles = document.GetValueOrDefault("roles") as BsonArray ?? [];
        return new UserRecord(user.Value, db.Value, Read(ScramAlgorithm.Sha1), Read(ScramAlgorithm.Sha256), roles);
    }
}
