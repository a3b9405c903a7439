package de.elternkit.platform

import de.elternkit.ffi.PlatformClock
import java.time.LocalDate
import java.time.ZoneId

/** Today in Germany: deadlines and the directory's validity are German calendar days. */
class SystemClock(private val zone: ZoneId = ZoneId.of("Europe/Berlin")) : PlatformClock {
    override fun today(): String = LocalDate.now(zone).toString()
}
