package io.herald;

import org.apache.camel.main.Main;

public final class Herald {
    public static void main(String[] args) throws Exception {
        new Main(Herald.class).run(args);
    }
}
