package io.herald.store;

public enum Channel {
    EMAIL, SMS
}
