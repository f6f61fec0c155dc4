package io.gcsflush.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's own classes, and the libraries it bundles, from the {@code inst/} folder of the agent jar, where
 * no application class loader looks: the application never sees them and they never see the application. Class
 * files there end in {@code .classdata}, so that class-path scanners that read the jar do not take them for classes.
 */
final class AgentClassLoader extends ClassLoader {
    static final String PREFIX = "inst/";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final URL jarUrl;
    private final ProtectionDomain domain;

    AgentClassLoader(JarFile jar, URL jarUrl, ClassLoader parent) {
        super("gcs-flush", parent);
        this.jar = jar;
        this.jarUrl = jarUrl;
        this.domain = new ProtectionDomain(new CodeSource(jarUrl, (Certificate[]) null), null, this, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
        if (entry == null) throw new ClassNotFoundException(name);
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException raced) {
                    // Another thread defined it first.
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /** Reads straight from the jar: the agent reads its own class files to weave, and URL connections are slow. */
    @Override
    public InputStream getResourceAsStream(String name) {
        JarEntry entry = jar.getJarEntry(PREFIX + (name.endsWith(".class") ? name + "data" : name));
        if (entry == null) return super.getResourceAsStream(name);
        try {
            return jar.getInputStream(entry);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    protected URL findResource(String name) {
        String path = PREFIX + (name.endsWith(".class") ? name + "data" : name);
        if (jar.getJarEntry(path) == null) return null;
        try {
            return new URL("jar:" + jarUrl + "!/" + path);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }
}
