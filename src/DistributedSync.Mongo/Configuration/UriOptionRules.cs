namespace DistributedSync.Mongo.Configuration;

/// <summary>
/// The rules between options that make a connection string invalid (errors, not warnings): the
/// TLS conflicts of the URI options spec, <c>directConnection</c> and <c>loadBalanced</c> with
/// several seeds, the SRV-only options, <c>journal=true</c> with <c>w=0</c>, read preference
/// constraints, pool size order and SOCKS5 proxy completeness.
/// </summary>
internal static class UriOptionRules
{
    private static readonly (string A, string B)[] TlsConflicts =
    [
        ("tlsInsecure", "tlsAllowInvalidCertificates"),
        ("tlsInsecure", "tlsAllowInvalidHostnames"),
        ("tlsInsecure", "tlsDisableOCSPEndpointCheck"),
        ("tlsInsecure", "tlsDisableCertificateRevocationCheck"),
        ("tlsAllowInvalidCertificates", "tlsDisableOCSPEndpointCheck"),
        ("tlsAllowInvalidCertificates", "tlsDisableCertificateRevocationCheck"),
        ("tlsDisableOCSPEndpointCheck", "tlsDisableCertificateRevocationCheck"),
    ];

    internal static void Validate(UriOptionParser options, bool isSrv, int hostCount)
    {
        ValidateTls(options);
        var values = options.Values;
        bool Is(string name, bool expected) => values.TryGetValue(name, out var v) && v is bool b && b == expected;
        int? Int(string name) => values.TryGetValue(name, out var v) && v is int i ? i : null;

        if (Is("directConnection", true) && hostCount > 1)
        {
            throw Error("directConnection=true cannot be combined with more than one host.");
        }

        if (Is("directConnection", true) && isSrv)
        {
            throw Error("directConnection=true cannot be used with a mongodb+srv:// connection string (SRV may resolve to several hosts).");
        }

        if (Is("loadBalanced", true))
        {
            if (hostCount > 1)
            {
                throw Error("loadBalanced=true cannot be combined with more than one host.");
            }

            if (values.ContainsKey("replicaSet"))
            {
                throw Error("loadBalanced=true cannot be combined with replicaSet.");
            }

            if (Is("directConnection", true))
            {
                throw Error("loadBalanced=true cannot be combined with directConnection=true.");
            }

            if (Int("srvMaxHosts") > 0)
            {
                throw Error("loadBalanced=true cannot be combined with a non-zero srvMaxHosts.");
            }
        }

        foreach (var srvOnly in new[] { "srvServiceName", "srvMaxHosts" })
        {
            if (!isSrv && options.Present.Contains(srvOnly))
            {
                throw Error($"The option '{srvOnly}' is only allowed with a mongodb+srv:// connection string.");
            }
        }

        if (Int("srvMaxHosts") > 0 && values.ContainsKey("replicaSet"))
        {
            throw Error("A non-zero srvMaxHosts cannot be combined with replicaSet.");
        }

        if (Is("journal", true) && values.TryGetValue("w", out var w) && ((WriteConcernW)w).IsUnacknowledged)
        {
            throw Error("journal=true cannot be combined with w=0: an unacknowledged write cannot wait for the journal.");
        }

        ValidateReadPreference(values);
        ValidatePool(values);
        ValidateProxy(options);
    }

    private static void ValidateTls(UriOptionParser options)
    {
        var tls = options.TlsValues;
        if (tls.Count > 1 && tls.Select(t => t.Value.ToLowerInvariant()).Distinct().Count() > 1)
        {
            throw Error("The options 'tls' and 'ssl' must all have the same value.");
        }

        foreach (var (a, b) in TlsConflicts)
        {
            if (options.Present.Contains(a) && options.Present.Contains(b))
            {
                throw Error($"The options '{a}' and '{b}' cannot both be given.");
            }
        }
    }

    private static void ValidateReadPreference(IReadOnlyDictionary<string, object> values)
    {
        var isPrimary = !values.TryGetValue("readPreference", out var mode) || (string)mode == "primary";
        if (!isPrimary)
        {
            return;
        }

        if (values.TryGetValue("readPreferenceTags", out var tags)
            && ((IReadOnlyList<IReadOnlyDictionary<string, string>>)tags).Any(t => t.Count > 0))
        {
            throw Error("readPreferenceTags cannot be used with the primary read preference.");
        }

        if (values.TryGetValue("maxStalenessSeconds", out var staleness) && (int)staleness != -1)
        {
            throw Error("maxStalenessSeconds cannot be used with the primary read preference.");
        }
    }

    private static void ValidatePool(IReadOnlyDictionary<string, object> values)
    {
        if (values.TryGetValue("minPoolSize", out var min) && values.TryGetValue("maxPoolSize", out var max)
            && (int)max != 0 && (int)min > (int)max)
        {
            throw Error($"minPoolSize ({min}) cannot be greater than maxPoolSize ({max}).");
        }
    }

    private static void ValidateProxy(UriOptionParser options)
    {
        var present = options.Present;
        if (!present.Contains("proxyHost"))
        {
            foreach (var name in new[] { "proxyPort", "proxyUsername", "proxyPassword" })
            {
                if (present.Contains(name))
                {
                    throw Error($"The option '{name}' needs proxyHost.");
                }
            }
        }

        if (present.Contains("proxyUsername") != present.Contains("proxyPassword"))
        {
            throw Error("The options 'proxyUsername' and 'proxyPassword' must be given together.");
        }
    }

    private static MongoConnectionStringException Error(string message) => new(message);
}
