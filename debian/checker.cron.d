# checker: exactly one tick each minute, as user checker. minute runs minute
# jobs; hour runs minute and hour jobs; day runs minute, hour and day jobs;
# day_noon runs minute, hour and day_noon jobs. A quiet tick prints nothing,
# so cron mails only errors (to MAILTO). The test -x keeps cron quiet once the
# package is removed but this file (a conffile) is still there.
MAILTO=root
1-59 * * * *       checker  test -x /usr/bin/checker && /usr/bin/checker -f /etc/checker/settings.cfg -m cron -c minute
0 1-11,13-23 * * * checker  test -x /usr/bin/checker && /usr/bin/checker -f /etc/checker/settings.cfg -m cron -c hour
0 0 * * *          checker  test -x /usr/bin/checker && /usr/bin/checker -f /etc/checker/settings.cfg -m cron -c day
0 12 * * *         checker  test -x /usr/bin/checker && /usr/bin/checker -f /etc/checker/settings.cfg -m cron -c day_noon
