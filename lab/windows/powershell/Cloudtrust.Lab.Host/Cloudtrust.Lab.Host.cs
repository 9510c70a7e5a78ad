// Stand-ins for the three Windows-only facts a step script reads outside any module, answering as the simulated
// management host would under Windows PowerShell 5.1 (.NET Framework 4.8). Cloudtrust.Lab.Host.psm1 puts them
// behind the names the scripts use ([Security.Principal.WindowsIdentity], [Security.Principal.WindowsPrincipal],
// [Net.ServicePointManager]); on Linux the real WindowsIdentity throws PlatformNotSupportedException and the real
// ServicePointManager starts at SystemDefault and refuses Ssl3.
using System;
using System.IO;
using System.Net;
using System.Security.Principal;

namespace Cloudtrust.Lab.Host
{
    /// <summary>The process as the estate describes it; set once per process by Cloudtrust.Lab.Host.psm1.</summary>
    public static class Machine
    {
        internal static bool Elevated;
        internal static string AccountName = string.Empty;
        internal static string StateFile;

        public static void Initialize(bool elevated, bool tls12ByDefault, string accountName, string stateFile)
        {
            Elevated = elevated;
            AccountName = accountName ?? string.Empty;
            StateFile = stateFile;
            ServicePointManager.Start(tls12ByDefault);
            if (!string.IsNullOrEmpty(stateFile)) AppDomain.CurrentDomain.ProcessExit += (sender, args) => File.Delete(stateFile);
        }
    }

    /// <summary>The process token (https://learn.microsoft.com/dotnet/api/system.security.principal.windowsidentity).</summary>
    public sealed class WindowsIdentity : IDisposable
    {
        private WindowsIdentity() { }

        public static WindowsIdentity GetCurrent() { return new WindowsIdentity(); }

        public static WindowsIdentity GetCurrent(bool ifImpersonating) { return ifImpersonating ? null : new WindowsIdentity(); }

        public string Name { get { return Machine.AccountName; } }

        public string AuthenticationType { get { return "Kerberos"; } }

        public bool IsAuthenticated { get { return true; } }

        public bool IsAnonymous { get { return false; } }

        public bool IsGuest { get { return false; } }

        public bool IsSystem { get { return false; } }

        public void Dispose() { }

        public override string ToString() { return typeof(System.Security.Principal.WindowsIdentity).FullName; }
    }

    /// <summary>
    /// Role checks against the process token (https://learn.microsoft.com/dotnet/api/system.security.principal.windowsprincipal.isinrole).
    /// Under User Account Control a non-elevated administrator's token holds BUILTIN\Administrators for deny only,
    /// so IsInRole(Administrator) is true exactly when the process runs elevated.
    /// </summary>
    public class WindowsPrincipal
    {
        private const int AdministratorsRid = 544;
        private const int UsersRid = 545;

        public WindowsPrincipal(WindowsIdentity ntIdentity)
        {
            if (ntIdentity == null) throw new ArgumentNullException("ntIdentity");
            Identity = ntIdentity;
        }

        public WindowsIdentity Identity { get; private set; }

        public bool IsInRole(WindowsBuiltInRole role) { return IsInRole((int)role); }

        public bool IsInRole(int rid)
        {
            if (rid == AdministratorsRid) return Machine.Elevated;
            return rid == UsersRid;
        }

        public bool IsInRole(string role)
        {
            if (role == null) return false;
            string name = role.StartsWith("BUILTIN\\", StringComparison.OrdinalIgnoreCase) ? role.Substring(8) : role;
            if (string.Equals(name, "Administrators", StringComparison.OrdinalIgnoreCase)) return Machine.Elevated;
            return string.Equals(name, "Users", StringComparison.OrdinalIgnoreCase);
        }

        public override string ToString() { return typeof(System.Security.Principal.WindowsPrincipal).FullName; }
    }

    /// <summary>
    /// The process-wide TLS versions of .NET Framework (https://learn.microsoft.com/dotnet/api/system.net.servicepointmanager.securityprotocol).
    /// Its default is Ssl3, Tls; with the SchUseStrongCrypto registry values (the "TLS 1.2 by default" host) it is
    /// Tls, Tls11, Tls12 (https://learn.microsoft.com/dotnet/framework/network-programming/tls). Every value the
    /// process sets is recorded in its state file, where the lab service reads what the process offers when one of
    /// its commands downloads something.
    /// </summary>
    public static class ServicePointManager
    {
        private const SecurityProtocolType Ssl3 = (SecurityProtocolType)48;
        private const SecurityProtocolType Supported = (SecurityProtocolType)(48 | 192 | 768 | 3072 | 12288);
        private static SecurityProtocolType protocol;

        internal static void Start(bool tls12ByDefault)
        {
            protocol = tls12ByDefault ? SecurityProtocolType.Tls | SecurityProtocolType.Tls11 | SecurityProtocolType.Tls12 : Ssl3 | SecurityProtocolType.Tls;
            Record();
        }

        /// <summary>SystemDefault (0): .NET Framework 4.7+ with SystemDefaultTlsVersions leaves the choice to Schannel, which offers TLS 1.2.</summary>
        public static void StartAtSystemDefault()
        {
            protocol = SecurityProtocolType.SystemDefault;
            Record();
        }

        public static SecurityProtocolType SecurityProtocol
        {
            get { return protocol; }
            set
            {
                if ((value & ~Supported) != 0) throw new NotSupportedException("The requested security protocol is not supported.");
                protocol = value;
                Record();
            }
        }

        private static void Record()
        {
            if (string.IsNullOrEmpty(Machine.StateFile)) return;
            string staging = Machine.StateFile + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(staging, "{\"securityProtocol\":" + ((int)protocol).ToString(System.Globalization.CultureInfo.InvariantCulture) + "}");
            File.Move(staging, Machine.StateFile, true);
        }
    }

    /// <summary>An account name (https://learn.microsoft.com/dotnet/api/system.security.principal.ntaccount).</summary>
    public sealed class NTAccount
    {
        public NTAccount(string name) { Value = name ?? throw new ArgumentNullException(nameof(name)); }
        public NTAccount(string domainName, string accountName) { Value = string.IsNullOrEmpty(domainName) ? accountName : domainName + "\\" + accountName; }
        public string Value { get; }
        public override string ToString() { return Value; }
    }

    /// <summary>
    /// A SID (https://learn.microsoft.com/dotnet/api/system.security.principal.securityidentifier). Translate answers the
    /// well-known SIDs with their English names (https://learn.microsoft.com/windows/win32/secauthz/well-known-sids);
    /// any other SID is not mapped, as on a machine that cannot resolve it.
    /// </summary>
    public sealed class SecurityIdentifier
    {
        private static readonly System.Collections.Generic.Dictionary<string, string> WellKnown = new System.Collections.Generic.Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            { "S-1-1-0", "Everyone" },
            { "S-1-5-9", "NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS" },
            { "S-1-5-11", "NT AUTHORITY\\Authenticated Users" },
            { "S-1-5-18", "NT AUTHORITY\\SYSTEM" },
            { "S-1-5-32-544", "BUILTIN\\Administrators" },
        };

        public SecurityIdentifier(string sddlForm)
        {
            if (sddlForm == null) throw new ArgumentNullException(nameof(sddlForm));
            if (!System.Text.RegularExpressions.Regex.IsMatch(sddlForm, "^S-1-[0-9]+(-[0-9]+)*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)) throw new ArgumentException("Value was invalid.", nameof(sddlForm));
            Value = sddlForm.ToUpperInvariant();
        }

        public string Value { get; }

        public object Translate(Type targetType)
        {
            if (targetType == typeof(SecurityIdentifier)) return this;
            if (targetType != typeof(NTAccount)) throw new ArgumentException("Only NTAccount and SecurityIdentifier are valid translation targets.", nameof(targetType));
            if (WellKnown.TryGetValue(Value, out var name)) return new NTAccount(name);
            throw new InvalidOperationException("Some or all identity references could not be translated.");
        }

        public override string ToString() { return Value; }
    }
}
