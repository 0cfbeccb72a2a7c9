using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ModelRunner.Cli.Tests.StandIns;

/// <summary>
/// A private CA and a certificate it signed for 127.0.0.1, as PEM files: the server's (<c>serve --tls-cert --tls-key</c>)
/// and the CA's (<c>context create --tls-ca-cert</c>).
/// </summary>
internal sealed record TestCertificates(string CaPath, string CertificatePath, string KeyPath)
{
    public static async Task<TestCertificates> WriteAsync(string folder)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=ModelRunner test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);

        var certificates = new TestCertificates(Path.Combine(folder, "ca.pem"), Path.Combine(folder, "server.pem"), Path.Combine(folder, "server.key"));
        await File.WriteAllTextAsync(certificates.CaPath, ca.ExportCertificatePem());
        await File.WriteAllTextAsync(certificates.CertificatePath, server.ExportCertificatePem());
        await File.WriteAllTextAsync(certificates.KeyPath, serverKey.ExportPkcs8PrivateKeyPem());
        return certificates;
    }
}
