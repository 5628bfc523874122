using System.Globalization;
using System.Xml.Linq;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Xml;

namespace Peerbucket.S3.Cors;

/// <summary>
/// A bucket's CORS configuration (PutBucketCors): parsed and validated as S3 does (1 to 100 rules; methods GET, PUT,
/// HEAD, POST, DELETE; at least one origin; at most one wildcard per origin or header), written back for GetBucketCors,
/// and matched against a request's origin, method and headers (the first rule that allows all three wins).
/// </summary>
internal sealed class CorsConfiguration
{
    private const int MaxRules = 100;
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "GET", "PUT", "HEAD", "POST", "DELETE" };

    private CorsConfiguration(IReadOnlyList<CorsRule> rules) => Rules = rules;

    public IReadOnlyList<CorsRule> Rules { get; }

    public static CorsConfiguration FromXml(XElement root)
    {
        if (root.Name.LocalName != "CORSConfiguration")
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var rules = root.Children("CORSRule").Select(Rule).ToList();
        if (rules.Count is 0 or > MaxRules)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML, $"A CORS configuration holds 1 to {MaxRules} rules.");
        }

        return new CorsConfiguration(rules);
    }

    /// <summary>The first rule allowing <paramref name="origin"/>, <paramref name="method"/> and every one of
    /// <paramref name="headers"/>, with the origin pattern it matched; null when none does.</summary>
    public (CorsRule Rule, string OriginPattern)? Match(string origin, string method, IReadOnlyList<string> headers)
    {
        foreach (var rule in Rules)
        {
            if (rule.AllowedMethods.Contains(method) && rule.OriginPattern(origin) is { } pattern && rule.AllowsHeaders(headers))
            {
                return (rule, pattern);
            }
        }

        return null;
    }

    public byte[] ToXml() => S3Xml.Document("CORSConfiguration", w =>
    {
        foreach (var rule in Rules)
        {
            w.WriteStartElement("CORSRule", S3Xml.Namespace);
            w.Element("ID", rule.Id);
            foreach (var (name, values) in (ReadOnlySpan<(string, IReadOnlyList<string>)>)[
                ("AllowedHeader", rule.AllowedHeaders), ("AllowedMethod", rule.AllowedMethods), ("AllowedOrigin", rule.AllowedOrigins),
                ("ExposeHeader", rule.ExposeHeaders)])
            {
                foreach (var value in values)
                {
                    w.Element(name, value);
                }
            }

            if (rule.MaxAgeSeconds is { } maxAge)
            {
                w.Element("MaxAgeSeconds", maxAge);
            }

            w.WriteEndElement();
        }
    });

    private static CorsRule Rule(XElement rule)
    {
        var methods = Values(rule, "AllowedMethod");
        var origins = Values(rule, "AllowedOrigin");
        if (methods.Count == 0 || origins.Count == 0)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML, "A CORSRule needs an AllowedMethod and an AllowedOrigin.");
        }

        foreach (var method in methods.Where(m => !Methods.Contains(m)))
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, $"Found unsupported HTTP method in CORS config. Unsupported method is {method}");
        }

        var headers = Values(rule, "AllowedHeader");
        foreach (var pattern in origins.Concat(headers).Where(p => p.Count(c => c == '*') > 1))
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, $"\"{pattern}\" can not have more than one wildcard.");
        }

        int? maxAge = null;
        if (rule.ChildValue("MaxAgeSeconds") is { } raw)
        {
            maxAge = int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : throw new S3Exception(S3ErrorCode.MalformedXML, "MaxAgeSeconds is not a whole number of seconds.");
        }

        var id = rule.ChildValue("ID");
        if (id is { Length: > 255 })
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "A CORSRule ID is at most 255 characters.");
        }

        return new CorsRule(id, methods, origins, headers, Values(rule, "ExposeHeader"), maxAge);
    }

    private static List<string> Values(XElement rule, string name) => rule.Children(name).Select(e => e.Value.Trim()).ToList();
}
