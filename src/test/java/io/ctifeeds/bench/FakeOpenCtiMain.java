package io.ctifeeds.bench;

import io.ctifeeds.testing.FakeOpenCti;

/** Runs the fake OpenCTI on its own, for trying the connector by hand: prints OPENCTI_URL and OPENCTI_TOKEN. */
public final class FakeOpenCtiMain {

    private FakeOpenCtiMain() {
    }

    public static void main(String[] args) throws Exception {
        FakeOpenCti platform = FakeOpenCti.start();
        System.out.println("OPENCTI_URL=" + platform.url());
        System.out.println("OPENCTI_TOKEN=" + platform.token());
        System.out.flush();
        Thread.currentThread().join();
    }
}
