package io.echoack.common.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Installs {@link LeakGuard} when the JUnit launcher starts, before any test class loads Netty buffers. */
public final class LeakGuardSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakGuard.install();
    }
}
