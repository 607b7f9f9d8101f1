package io.lifeboat.kube;

import io.fabric8.kubernetes.client.Config;

/**
 * The only parts of a kubeconfig Lifeboat uses, after {@link Kubeconfigs} checked them: the server, its CA, whether
 * TLS verification is off, and inline credentials. The client's configuration is made from these fields alone.
 */
public record CheckedKubeconfig(String context, String server, String certificateAuthorityData,
                                boolean insecureSkipTlsVerify, String token, String clientCertificateData,
                                String clientKeyData, String namespace) {

    /**
     * A fabric8 configuration holding these fields and nothing else: no automatic configuration from the
     * environment, system properties, files or proxies of the machine Lifeboat runs on.
     */
    public Config toConfig() {
        Config config = Config.empty();
        config.setMasterUrl(server);
        config.setCaCertData(certificateAuthorityData);
        config.setTrustCerts(insecureSkipTlsVerify);
        config.setDisableHostnameVerification(insecureSkipTlsVerify);
        config.setOauthToken(token);
        config.setClientCertData(clientCertificateData);
        config.setClientKeyData(clientKeyData);
        config.setNamespace(namespace == null ? "default" : namespace);
        config.setCurrentContext(null);
        config.setHttpProxy(null);
        config.setHttpsProxy(null);
        config.setNoProxy(new String[0]);
        return config;
    }

    @Override
    public String toString() {
        return "CheckedKubeconfig[context=" + context + ", server=" + server + ", insecureSkipTlsVerify="
                + insecureSkipTlsVerify + "]"; // never the credentials
    }
}
